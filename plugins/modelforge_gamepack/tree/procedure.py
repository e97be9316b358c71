"""`tree` problems and the expert: trunk by age, mid-range branching, seasonal canopy, wind."""

from __future__ import annotations

import random
from typing import Any

from modelforge_gamepack.tree import growth


def draw(rules: dict, rng: random.Random, category: str, difficulty: int) -> dict[str, Any]:
    species = sorted(name for name, spec in rules["species"].items() if spec["kind"] == category)
    return {
        "species": rng.choice(species),
        "age": rng.randint(*rules["difficulty"]["ages"][str(difficulty)]),
        "season": rng.choice(rules["seasons"]),
        "wind_ms": round(rng.uniform(*rules["difficulty"]["wind_ms"]), 1),
    }


def describe(data: dict[str, Any]) -> str:
    return (
        f"Tree: {data['species']}, {data['age']} years old, in {data['season']}, "
        f"wind {data['wind_ms']:.1f} m/s."
    )


def _middle(low_high: list[float], digits: int) -> float:
    return round((low_high[0] + low_high[1]) / 2, digits)


def solve(rules: dict, data: dict[str, Any]) -> list[tuple[dict, str]]:
    spec = rules["species"][data["species"]]
    depth = growth.levels(rules, data["age"])
    branches = [
        {
            "level": level,
            "angle_deg": _middle(spec["angle_deg"], 1),
            "length_ratio": _middle(spec["length_ratio"], 2),
            "count": int(_middle(spec["count"], 0)),
        }
        for level in range(1, depth + 1)
    ]
    canopy = growth.foliage(rules, data)
    sound = {
        "cue": growth.cue(rules, data, canopy["density"]),
        "sway_deg": growth.sway(rules, data),
    }
    return [
        ({"trunk": growth.trunk(rules, data)}, f"{data['age']} years of growth, capped"),
        ({"branching": branches}, f"{depth} level(s) at {data['age']} years, mid-range values"),
        ({"foliage": canopy}, f"{data['species']} ({spec['kind']}) in {data['season']}"),
        ({"sound": sound}, f"{growth.band(rules, data['wind_ms'])} through the canopy"),
    ]
