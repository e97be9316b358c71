"""The rules' arithmetic, shared by the expert and the verifier: threat, emotions, actions, tone."""

from __future__ import annotations

from typing import Any


def threat_level(rules: dict, data: dict) -> str:
    event = rules["events"][data["event"]]
    score = event["threat"] * data["intensity"] * (1.5 - data["traits"]["courage"])
    level = rules["threat"]["levels"][0][0]
    for name, threshold in rules["threat"]["levels"]:
        if score >= threshold:
            level = name
    return level


def updated_emotions(rules: dict, data: dict) -> dict[str, float]:
    deltas = rules["events"][data["event"]]["deltas"]
    out = {}
    for emotion in rules["emotions"]:
        gain = rules["update"]["gain"][emotion]
        scale = 1 + gain["factor"] * (data["traits"][gain["trait"]] - 0.5)
        moved = data["emotions"][emotion] + deltas.get(emotion, 0.0) * data["intensity"] * scale
        out[emotion] = round(min(1.0, max(0.0, moved)), 2)
    return out


def fits(rules: dict, data: dict, action: str, emotions: dict[str, float]) -> bool:
    """Whether the action's conditions hold for these traits, emotions and event."""
    spec = rules["actions"][action]
    event = rules["events"][data["event"]]
    values = {**data["traits"], **emotions}
    if any(not lo <= values[name] <= hi for name, (lo, hi) in spec["when"].items()):
        return False
    if "valence" in spec and event["valence"] not in spec["valence"]:
        return False
    return "threat" not in spec or threat_level(rules, data) in spec["threat"]


def fitting_actions(rules: dict, data: dict, emotions: dict[str, float]) -> list[str]:
    """The fitting actions, first priority first."""
    actions = sorted(rules["actions"], key=lambda name: rules["actions"][name]["priority"])
    return [name for name in actions if fits(rules, data, name, emotions)]


def tone(rules: dict, emotions: dict[str, Any]) -> str:
    strongest = max(rules["emotions"], key=lambda name: emotions[name])  # ties: first listed
    if emotions[strongest] < rules["tone"]["neutral_below"]:
        return "neutral"
    return rules["tone"]["by_emotion"][strongest]
