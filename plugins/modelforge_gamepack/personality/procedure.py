"""`personality` problems and the expert: appraise, update emotions, act, speak."""

from __future__ import annotations

import random
from typing import Any

from modelforge_gamepack.personality import psyche


def draw(rules: dict, rng: random.Random, category: str, difficulty: int) -> dict[str, Any]:
    level = rules["difficulty"][str(difficulty)]
    events = sorted(name for name, e in rules["events"].items() if e["category"] == category)

    def trait() -> float:
        lo, hi = rng.choice(level["trait_ranges"])
        return round(rng.uniform(lo, hi), 2)

    return {
        "npc": rng.choice(rules["names"]),
        "traits": {name: trait() for name in rules["traits"]},
        "emotions": {
            name: round(rng.uniform(*level["start_emotion"]), 2) for name in rules["emotions"]
        },
        "event": rng.choice(events),
        "intensity": round(rng.uniform(*level["intensity"]), 2),
    }


def describe(data: dict[str, Any]) -> str:
    def listing(values: dict[str, float]) -> str:
        return ", ".join(f"{name} {value:.2f}" for name, value in values.items())

    return (
        f"NPC {data['npc']}. Traits: {listing(data['traits'])}. "
        f"Emotions now: {listing(data['emotions'])}. "
        f"Event: {data['event']} (intensity {data['intensity']:.2f})."
    )


def solve(rules: dict, data: dict[str, Any]) -> list[tuple[dict, str]]:
    event = rules["events"][data["event"]]
    emotions = psyche.updated_emotions(rules, data)
    action = psyche.fitting_actions(rules, data, emotions)[0]
    spec = rules["actions"][action]
    tone = psyche.tone(rules, emotions)
    threat = psyche.threat_level(rules, data)
    return [
        (
            {"appraisal": {"valence": event["valence"], "threat": threat}},
            f"{data['event']} is {event['valence']}; threat {threat}",
        ),
        ({"emotions": emotions}, "each emotion moved by the event's delta, scaled by its trait"),
        ({"action": action}, f"{action} is the first fitting action (priority {spec['priority']})"),
        ({"intent": spec["intents"][0], "tone": tone}, f"the strongest emotion sets a {tone} tone"),
    ]
