"""The `animal` verifier: activity, locomotion, the behaviour plan and each interaction."""

from __future__ import annotations

from modelforge_gamepack.animal import ecology
from modelforge_gamepack.kit.checks import items, mapping, require, text

FEEDING = {"hunt", "forage"}


def check_activity(rules: dict, data: dict, outcome: dict) -> None:
    activity = mapping(outcome["activity"], "activity")
    require(set(activity) == {"pattern", "state"}, "format", "activity has pattern and state")
    pattern = rules["species"][data["species"]]["pattern"]
    require(
        activity["pattern"] == pattern,
        "activity-pattern",
        f"the {data['species']} is {pattern}, not {activity['pattern']!r}",
    )
    now = ecology.state(rules, data)
    if "hibernating" in (now, activity["state"]):
        require(
            activity["state"] == now,
            "activity-season",
            f"the {data['species']} is {now} in {data['season']}, not {activity['state']!r}",
        )
    require(
        activity["state"] == now,
        "activity-time",
        f"a {pattern} animal is {now} at {data['time']}, not {activity['state']!r}",
    )


def check_locomotion(rules: dict, data: dict, outcome: dict) -> None:
    move = text(outcome["locomotion"], "locomotion")
    require(
        move in rules["species"][data["species"]]["locomotion"],
        "locomotion-species",
        f"a {data['species']} does not {move}",
    )
    require(
        move in rules["terrains"][data["terrain"]],
        "locomotion-terrain",
        f"no one can {move} on {data['terrain']}",
    )


def check_plan(rules: dict, data: dict, outcome: dict) -> None:
    plan = items(outcome["plan"], "plan")
    require(
        1 <= len(plan) <= 3
        and len(set(plan)) == len(plan)
        and set(plan) <= set(ecology.BEHAVIOURS),
        "behaviour-known",
        f"1 to 3 distinct behaviours of {', '.join(ecology.BEHAVIOURS)}",
    )
    now = ecology.state(rules, data)
    require(
        (plan == ["hibernate"]) == (now == "hibernating")
        and ("hibernate" in plan) == (now == "hibernating"),
        "behaviour-season",
        f"the {data['species']} is {now}: hibernate exactly when hibernating",
    )
    if now == "hibernating":
        return
    escape = "flee" if now == "awake" else "hide"
    if ecology.threatened(rules, data):
        require(plan[0] == escape, "behaviour-threat", f"a predator is near: {escape} first")
    else:
        require(not {"flee", "hide"} & set(plan), "behaviour-threat", "no predator is near")
    require(
        not {"flee", "hide"} - {escape} & set(plan), "behaviour-threat", f"it can only {escape}"
    )
    if now == "resting":
        require(
            "rest" in plan and not (FEEDING | {"patrol"}) & set(plan),
            "behaviour-activity",
            f"a {data['species']} rests at {data['time']}",
        )
        return
    require("rest" not in plan, "behaviour-activity", f"the {data['species']} is awake now")
    diet = rules["species"][data["species"]]["diet"]
    allowed = {"carnivore": {"hunt"}, "herbivore": {"forage"}}.get(diet, {"forage"})
    allowed |= {ecology.feeding(rules, data)}
    wrong = FEEDING & set(plan) - allowed
    require(not wrong, "behaviour-diet", f"a {diet} here does not {', '.join(sorted(wrong))}")
    if ecology.hungry(rules, data):
        require(FEEDING & set(plan), "behaviour-hunger", f"hunger {data['hunger']:.2f}: it feeds")
    else:
        require(
            "patrol" in plan and not FEEDING & set(plan),
            "behaviour-hunger",
            f"hunger {data['hunger']:.2f}: it patrols",
        )


def check_interactions(rules: dict, data: dict, outcome: dict) -> None:
    listed = [
        mapping(entry, "an interaction") for entry in items(outcome["interactions"], "interactions")
    ]
    names = [entry.get("with") for entry in listed]
    wanted = [n["species"] for n in data["neighbours"]]
    require(
        sorted(map(str, names)) == sorted(wanted),
        "interaction-coverage",
        f"the neighbours are {', '.join(wanted) or 'none'}",
    )
    for entry in listed:
        require(
            set(entry) == {"with", "relation", "response"}, "format", "with, relation, response"
        )
        neighbour = next(n for n in data["neighbours"] if n["species"] == entry["with"])
        kind = ecology.relation(rules, data["species"], entry["with"])
        require(
            entry["relation"] == kind,
            "interaction-relation",
            f"the {entry['with']} is {kind} to the {data['species']}, not {entry['relation']!r}",
        )
        answer = ecology.response(rules, data, neighbour)
        require(
            entry["response"] == answer,
            "interaction-response",
            f"to the {entry['with']} at {neighbour['distance_m']} m it should {answer}",
        )


CHECKS = {
    "activity": check_activity,
    "locomotion": check_locomotion,
    "behaviour": check_plan,
    "interactions": check_interactions,
}
