"""`animal`, rules 1.0.0, worked by hand from the rules as stated in rules.toml:

- state: a hibernating species in winter hibernates; otherwise awake at its pattern's times
  (diurnal dawn/day, nocturnal dusk/night, crepuscular dawn/dusk), else resting
- a neighbour is a predator if it hunts this species, prey if this species hunts it; a predator
  within this species' alert_m makes it flee (awake) or hide (resting), farther it watches
  (awake) or ignores; awake and hungry (hunger >= 0.4) it hunts prey; all else is ignored
- plan: hibernate alone; else flee/hide first when threatened, then rest (resting) or feed when
  hungry (carnivores hunt, omnivores hunt only with prey in sight, else forage) or patrol
- the expert moves in its species' first way that the terrain allows
"""

import pytest

from .handworked import TYPES, accepted, table_tests

RULES_VERSION = "1.0.0"


@pytest.fixture(autouse=True)
def gamepack():
    """Instead of the conftest's: the types come from handworked.TYPES, no plugins per test."""


def _case(species, terrain, time, season, hunger, neighbours, pattern, state, move, plan, met):
    data = {
        "species": species,
        "terrain": terrain,
        "time": time,
        "season": season,
        "hunger": hunger,
        "neighbours": [{"species": s, "distance_m": d} for s, d in neighbours],
    }
    outcome = {
        "activity": {"pattern": pattern, "state": state},
        "locomotion": move,
        "plan": plan,
        "interactions": [{"with": w, "relation": r, "response": a} for w, r, a in met],
    }
    return data, outcome


CASES = {
    # nocturnal at night: awake; forest allows run; a hungry carnivore hunts
    "a hungry wolf at night": _case(
        "wolf", "forest", "night", "summer", 0.7, [], "nocturnal", "awake", "run", ["hunt"], []
    ),
    # nocturnal at day: resting; rests whatever its hunger
    "an owl by day": _case(
        "owl", "grassland", "day", "spring", 0.9, [], "nocturnal", "resting", "fly", ["rest"], []
    ),
    # bears hibernate in winter, and a hibernating animal ignores everyone; the wolf neither
    # hunts bears nor is hunted by them: neutral
    "a bear in winter": _case(
        "bear",
        "forest",
        "day",
        "winter",
        0.9,
        [("wolf", 5)],
        "diurnal",
        "hibernating",
        "walk",
        ["hibernate"],
        [("wolf", "neutral", "ignore")],
    ),
    # crepuscular at dawn: awake; the fox hunts rabbits and is at 30 <= 60 m: flee first; the deer
    # is neutral; hunger .5 >= .4: a herbivore forages; grassland allows hop
    "a rabbit with a fox near": _case(
        "rabbit",
        "grassland",
        "dawn",
        "spring",
        0.5,
        [("fox", 30), ("deer", 10)],
        "crepuscular",
        "awake",
        "hop",
        ["flee", "forage"],
        [("fox", "predator", "flee"), ("deer", "neutral", "ignore")],
    ),
    # crepuscular at day: resting; the wolf is a predator but at 200 > 120 m: a resting deer
    # ignores it; rests; a river allows neither run nor walk: swim
    "a deer resting by the river": _case(
        "deer",
        "river",
        "day",
        "summer",
        0.2,
        [("wolf", 200)],
        "crepuscular",
        "resting",
        "swim",
        ["rest"],
        [("wolf", "predator", "ignore")],
    ),
    # crepuscular at dusk: awake; the hare is its prey and it is hungry (.6): hunt; the wolf
    # hunts deer, rabbits and hares, not foxes: neutral; an omnivore with prey in sight hunts
    "a fox sees a hare": _case(
        "fox",
        "tundra",
        "dusk",
        "autumn",
        0.6,
        [("hare", 100), ("wolf", 20)],
        "crepuscular",
        "awake",
        "run",
        ["hunt"],
        [("hare", "prey", "hunt"), ("wolf", "neutral", "ignore")],
    ),
    # diurnal at day: awake; eagles hunt rabbits, hares, salmon and mice, not goats: neutral;
    # hunger .1 < .4: patrol; mountain allows climb, the goat's first way
    "a sated goat under an eagle": _case(
        "goat",
        "mountain",
        "day",
        "summer",
        0.1,
        [("eagle", 10)],
        "diurnal",
        "awake",
        "climb",
        ["patrol"],
        [("eagle", "neutral", "ignore")],
    ),
    # nocturnal at night: awake; the owl (25 <= 30 m) makes it flee; the fox at 80 > 30 m is
    # watched; hunger .45: an omnivore without prey in sight forages
    "a mouse between an owl and a fox": _case(
        "mouse",
        "forest",
        "night",
        "spring",
        0.45,
        [("owl", 25), ("fox", 80)],
        "nocturnal",
        "awake",
        "run",
        ["flee", "forage"],
        [("owl", "predator", "flee"), ("fox", "predator", "watch")],
    ),
    # nocturnal at day: resting; the eagle hunts hares and is at 10 <= 80 m: hide, then rest
    "a hare hiding from an eagle": _case(
        "hare",
        "grassland",
        "day",
        "summer",
        0.8,
        [("eagle", 10)],
        "nocturnal",
        "resting",
        "run",
        ["hide", "rest"],
        [("eagle", "predator", "hide")],
    ),
    # crepuscular at dusk: awake; the fox at exactly 60 m, the rabbit's alert_m: flee;
    # hunger exactly .4, hungry_from: it feeds (forage)
    "a rabbit with a fox at the edge": _case(
        "rabbit",
        "grassland",
        "dusk",
        "summer",
        0.4,
        [("fox", 60)],
        "crepuscular",
        "awake",
        "hop",
        ["flee", "forage"],
        [("fox", "predator", "flee")],
    ),
    # wolves do not hibernate: awake at night in winter; tundra allows run; sated: patrol
    "a wolf in winter": _case(
        "wolf", "tundra", "night", "winter", 0.2, [], "nocturnal", "awake", "run", ["patrol"], []
    ),
    # frogs hibernate in winter; the owl hunts frogs and is 3 m away (alert_m 5), but a
    # hibernating frog ignores it; hop is the frog's first way the river allows
    "a frog asleep under an owl": _case(
        "frog",
        "river",
        "night",
        "winter",
        0.5,
        [("owl", 3)],
        "nocturnal",
        "hibernating",
        "hop",
        ["hibernate"],
        [("owl", "predator", "ignore")],
    ),
}


# Other right plans than the expert's: three behaviours, and an omnivore foraging with prey in
# sight (it may hunt, it need not)
ALSO_RIGHT = [
    ("a rabbit with a fox near", ["flee", "forage", "patrol"]),
    ("a fox sees a hare", ["forage"]),
]


def _set(*path_and_value):
    *path, value = path_and_value

    def mutate(outcome):
        target = outcome
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _drop_last_interaction(outcome):
    outcome["interactions"].pop()


WRONG = [
    # nothing threatens the owl: no hiding either
    ("an owl by day", _set("plan", ["hide", "rest"]), "behaviour-threat"),
    # fleeing first is right, but an awake rabbit does not also hide
    ("a rabbit with a fox near", _set("plan", ["flee", "hide", "forage"]), "behaviour-threat"),
    (
        "a frog asleep under an owl",
        _set("interactions", 0, "response", "hide"),
        "interaction-response",
    ),
    ("an owl by day", _set("plan", ["rest", "hunt"]), "behaviour-activity"),
    ("an owl by day", _set("plan", ["rest", "patrol"]), "behaviour-activity"),
    ("a hungry wolf at night", _set("plan", ["hunt", "rest"]), "behaviour-activity"),
    # hiding first is right, but a resting hare cannot also flee
    ("a hare hiding from an eagle", _set("plan", ["hide", "flee", "rest"]), "behaviour-threat"),
    ("a hungry wolf at night", _set("plan", []), "behaviour-known"),
    ("a hungry wolf at night", _set("plan", ["hunt", "hunt"]), "behaviour-known"),
    ("a hungry wolf at night", _set("plan", ["hunt", "dance"]), "behaviour-known"),
    (
        "a rabbit with a fox near",
        _set("plan", ["flee", "forage", "patrol", "hide"]),
        "behaviour-known",
    ),
    ("a sated goat under an eagle", _set("plan", ["forage", "patrol"]), "behaviour-hunger"),
    ("a hungry wolf at night", _set("plan", ["hunt", "hibernate"]), "behaviour-season"),
    ("a fox sees a hare", _set("interactions", 0, "distance_m", 100), "format"),
    # nothing hunts wolves: no reason to flee
    ("a hungry wolf at night", _set("plan", ["flee", "hunt"]), "behaviour-threat"),
    # a carnivore does not forage
    ("a hungry wolf at night", _set("plan", ["forage"]), "behaviour-diet"),
    ("an owl by day", _set("activity", "state", "awake"), "activity-time"),
    ("a bear in winter", _set("activity", "state", "awake"), "activity-season"),
    ("a hungry wolf at night", _set("activity", "pattern", "diurnal"), "activity-pattern"),
    ("a hungry wolf at night", _set("locomotion", "fly"), "locomotion-species"),
    # deer do run, but not in a river
    ("a deer resting by the river", _set("locomotion", "run"), "locomotion-terrain"),
    # feeding with the fox 30 m away
    ("a rabbit with a fox near", _set("plan", ["forage"]), "behaviour-threat"),
    # a resting hare cannot flee, only hide
    ("a hare hiding from an eagle", _set("plan", ["flee", "rest"]), "behaviour-threat"),
    ("an owl by day", _set("plan", ["hunt"]), "behaviour-activity"),
    ("a rabbit with a fox near", _set("plan", ["flee", "hunt"]), "behaviour-diet"),
    ("a sated goat under an eagle", _set("plan", ["forage"]), "behaviour-hunger"),
    ("a hungry wolf at night", _set("plan", ["patrol"]), "behaviour-hunger"),
    ("a bear in winter", _set("plan", ["rest"]), "behaviour-season"),
    ("a deer resting by the river", _set("plan", ["hibernate"]), "behaviour-season"),
    # the fox is 80 m away, beyond the mouse's 30 m
    (
        "a mouse between an owl and a fox",
        _set("interactions", 1, "response", "flee"),
        "interaction-response",
    ),
    ("a fox sees a hare", _set("interactions", 0, "relation", "predator"), "interaction-relation"),
    ("a fox sees a hare", _drop_last_interaction, "interaction-coverage"),
]


(
    test_the_cases_name_the_rules_version,
    test_the_hand_worked_outcome_is_accepted_and_the_expert_reaches_it,
    test_a_plausible_wrong_outcome_is_refused_by_its_rule,
) = table_tests("animal", RULES_VERSION, CASES, WRONG)


@pytest.mark.parametrize(("name", "plan"), ALSO_RIGHT)
def test_another_right_plan_is_accepted(name, plan):
    data, outcome = CASES[name]
    accepted(TYPES["animal"], data, {**outcome, "plan": plan})
