"""`sound` problems and the expert: the subject's category, a mood-fitting ADSR, band, layers."""

from __future__ import annotations

import random
from typing import Any

ENVELOPE_TIMES = ("attack_ms", "decay_ms", "release_ms")


def draw(rules: dict, rng: random.Random, category: str, difficulty: int) -> dict[str, Any]:
    subjects = sorted(name for name, s in rules["subjects"].items() if s["category"] == category)
    mood = rng.choice(sorted(rules["moods"]))
    shortest = sum(rules["moods"][mood][part][0] for part in ENVELOPE_TIMES)
    slack = rng.randint(*rules["difficulty"]["slack_ms"][str(difficulty)])
    return {
        "subject": rng.choice(subjects),
        "mood": mood,
        "duration_ms": (shortest + slack) // 10 * 10 + 10,
    }


def describe(data: dict[str, Any]) -> str:
    return (
        f"Sound request: {data['subject']}, mood {data['mood']}, lasting {data['duration_ms']} ms."
    )


def envelope(rules: dict, data: dict) -> dict[str, float]:
    """Each time at its shortest, then grown toward the middle of its range while it fits."""
    mood = rules["moods"][data["mood"]]
    times = {part: mood[part][0] for part in ENVELOPE_TIMES}
    room = data["duration_ms"] - sum(times.values())
    for part in ENVELOPE_TIMES:
        grow = min(room, (mood[part][1] - mood[part][0]) // 2)
        times[part] += grow
        room -= grow
    return {**times, "sustain": round(sum(mood["sustain"]) / 2, 2)}


def solve(rules: dict, data: dict[str, Any]) -> list[tuple[dict, str]]:
    subject = rules["subjects"][data["subject"]]
    mood = rules["moods"][data["mood"]]
    family = rules["category_rules"][subject["category"]]
    low, high = subject["band_hz"]
    return [
        (
            {"category": subject["category"], "mood": data["mood"]},
            f"{data['subject']} belongs to {subject['category']}",
        ),
        (
            {"envelope": envelope(rules, data)},
            f"{data['mood']} ranges, within {data['duration_ms']} ms",
        ),
        ({"band": {"low_hz": low, "high_hz": high}}, f"the band of {data['subject']}"),
        (
            {"layers": list(dict.fromkeys([subject["core"], *mood["layers"]]))},
            "core and mood layers",
        ),
        (
            {
                "loop": family["loops"] and not mood.get("never_loops", False),
                "lufs": round(sum(mood["lufs"]) / 2, 1),
            },
            f"{subject['category']} sounds {'loop' if family['loops'] else 'play once'}",
        ),
    ]
