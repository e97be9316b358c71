"""The `personality` verifier: one rule check per stage, each naming the rule it applies."""

from __future__ import annotations

from modelforge_gamepack.kit.checks import close, mapping, number, require, text
from modelforge_gamepack.personality import psyche


def check_appraisal(rules: dict, data: dict, outcome: dict) -> None:
    appraisal = mapping(outcome["appraisal"], "appraisal")
    require(set(appraisal) == {"valence", "threat"}, "format", "appraisal has valence and threat")
    valence = rules["events"][data["event"]]["valence"]
    require(
        appraisal["valence"] == valence,
        "appraisal-valence",
        f"{data['event']} is {valence}, not {appraisal['valence']!r}",
    )
    threat = psyche.threat_level(rules, data)
    require(
        appraisal["threat"] == threat,
        "appraisal-threat",
        f"the threat is {threat}, not {appraisal['threat']!r}",
    )


def check_emotions(rules: dict, data: dict, outcome: dict) -> None:
    emotions = mapping(outcome["emotions"], "emotions")
    require(set(emotions) == set(rules["emotions"]), "format", "emotions lists every emotion")
    expected = psyche.updated_emotions(rules, data)
    limit = rules["update"]["max_delta"]
    for name in rules["emotions"]:
        value = number(emotions[name], f"emotion {name}")
        require(0 <= value <= 1, "emotion-bounds", f"{name} {value} is outside [0, 1]")
        moved = abs(value - data["emotions"][name])
        require(moved <= limit + 1e-9, "emotion-bounds", f"{name} moved {moved:.2f} > {limit}")
        require(
            close(value, expected[name], rules["update"]["tolerance"]),
            "emotion-update",
            f"{name} becomes {expected[name]:.2f}, not {value:.2f}",
        )


def check_action(rules: dict, data: dict, outcome: dict) -> None:
    action = text(outcome["action"], "action")
    require(action in rules["actions"], "action-known", f"no action {action!r}")
    emotions = outcome["emotions"]
    require(
        psyche.fits(rules, data, action, emotions),
        "action-fits",
        f"{action} does not fit {data['npc']}'s traits and emotions after {data['event']}",
    )
    first = psyche.fitting_actions(rules, data, emotions)[0]
    require(action == first, "action-priority", f"{first} fits and comes before {action}")


def check_dialogue(rules: dict, data: dict, outcome: dict) -> None:
    intents = rules["actions"][outcome["action"]]["intents"]
    require(
        outcome["intent"] in intents,
        "intent-fits-action",
        f"{outcome['action']} speaks to {', '.join(intents)}, not {outcome['intent']!r}",
    )
    tone = psyche.tone(rules, outcome["emotions"])
    require(
        outcome["tone"] == tone, "tone-fits-emotion", f"the tone is {tone}, not {outcome['tone']!r}"
    )


CHECKS = {
    "appraise": check_appraisal,
    "emotions": check_emotions,
    "action": check_action,
    "dialogue": check_dialogue,
}
