"""`facial` problems and the expert: prototype units, rig blendshapes, onset/apex/offset."""

from __future__ import annotations

import random
from typing import Any

from modelforge_gamepack.facial import face


def draw(rules: dict, rng: random.Random, category: str, difficulty: int) -> dict[str, Any]:
    level = rules["difficulty"][str(difficulty)]
    emotions = sorted(rules["prototypes"])
    if category == "blend":
        first, second = rng.sample(emotions, 2)
        weight = round(rng.uniform(0.5, 1 - rules["intensity"]["min_blend_weight"]), 2)
        blend = {first: weight, second: round(1 - weight, 2)}
    else:
        blend = {rng.choice(emotions): 1.0}
    timing = rules["timing"][face.leading({"blend": blend})]
    shortest = sum(timing[part][0] for part in face.PARTS)
    longest = sum(timing[part][1] for part in face.PARTS)
    slack = rng.randint(*level["slack_ms"]) // 10 * 10
    return {
        "blend": blend,
        "intensity": round(rng.uniform(*level["intensity"]), 2),
        "rig": rng.choice(level["rigs"]),
        "duration_ms": min(shortest + slack, longest),
    }


def describe(data: dict[str, Any]) -> str:
    blend = " + ".join(f"{emotion} {weight:.2f}" for emotion, weight in data["blend"].items())
    return (
        f"Expression: {blend} at intensity {data['intensity']:.2f}, on the {data['rig']} rig, "
        f"lasting {data['duration_ms']} ms."
    )


def solve(rules: dict, data: dict[str, Any]) -> list[tuple[dict, str]]:
    units = face.action_units(rules, data)
    shapes = face.blendshapes(rules, data["rig"], units)
    lead = face.leading(data)
    ranges = rules["timing"][lead]
    timing = {part: ranges[part][0] for part in face.PARTS}
    spare = data["duration_ms"] - sum(timing.values())
    for part in ("apex_ms", "offset_ms", "onset_ms"):  # the apex holds first, then the fades
        grow = min(spare, ranges[part][1] - ranges[part][0])
        timing[part] += grow
        spare -= grow
    emotions = ", ".join(data["blend"])
    return [
        ({"action_units": units}, f"the prototype units of {emotions}"),
        ({"blendshapes": shapes}, f"the {data['rig']} rig's shapes for those units"),
        (
            {"timing": timing},
            f"{lead} leads: its shortest phases, the apex then the fades fill the duration",
        ),
    ]
