"""`animal` problems and the expert: activity, locomotion, behaviour plan, interactions."""

from __future__ import annotations

import random
from typing import Any

from modelforge_gamepack.animal import ecology


def _neighbours(rules: dict, rng: random.Random, species: str, count: int) -> list[dict]:
    others = sorted(name for name in rules["species"] if name != species)
    related = [o for o in others if ecology.relation(rules, species, o) != "neutral"] or others
    picks = [rng.choice(related if rng.random() < 0.7 else others) for _ in range(count)]
    return [{"species": name, "distance_m": rng.randint(3, 200)} for name in dict.fromkeys(picks)]


def draw(rules: dict, rng: random.Random, category: str, difficulty: int) -> dict[str, Any]:
    species = sorted(rules["species"])
    if category == "seasonal":
        sleepers = [name for name in species if rules["species"][name].get("hibernates")]
        name = rng.choice(sleepers if rng.random() < 0.5 else species)
        season, time, count = (
            rng.choice(["autumn", "winter"]),
            rng.choice(rules["times"]),
            difficulty - 1,
        )
    elif category == "encounter":
        name = rng.choice(species)
        season, time, count = rng.choice(rules["seasons"]), rng.choice(rules["times"]), difficulty
    else:
        name = rng.choice(species)
        season = rng.choice(rules["seasons"] if difficulty == 3 else rules["seasons"][:3])
        time, count = rng.choice(rules["difficulty"]["daily"]["times"][str(difficulty)]), 0
    return {
        "species": name,
        "terrain": rng.choice(rules["species"][name]["habitats"]),
        "time": time,
        "season": season,
        "hunger": round(rng.uniform(0, 1), 2),
        "neighbours": _neighbours(rules, rng, name, count),
    }


def describe(data: dict[str, Any]) -> str:
    near = ", ".join(f"{n['species']} at {n['distance_m']} m" for n in data["neighbours"])
    return (
        f"Animal: {data['species']} (hunger {data['hunger']:.2f}) on {data['terrain']} terrain "
        f"at {data['time']} in {data['season']}. Neighbours: {near or 'none'}."
    )


def plan(rules: dict, data: dict) -> list[str]:
    now = ecology.state(rules, data)
    if now == "hibernating":
        return ["hibernate"]
    steps = ["flee" if now == "awake" else "hide"] if ecology.threatened(rules, data) else []
    if now == "resting":
        return [*steps, "rest"]
    return [*steps, ecology.feeding(rules, data) if ecology.hungry(rules, data) else "patrol"]


def solve(rules: dict, data: dict[str, Any]) -> list[tuple[dict, str]]:
    spec = rules["species"][data["species"]]
    now = ecology.state(rules, data)
    ways = rules["terrains"][data["terrain"]]
    move = next(way for way in spec["locomotion"] if way in ways)
    interactions = [
        {
            "with": n["species"],
            "relation": ecology.relation(rules, data["species"], n["species"]),
            "response": ecology.response(rules, data, n),
        }
        for n in data["neighbours"]
    ]
    return [
        (
            {"activity": {"pattern": spec["pattern"], "state": now}},
            f"{spec['pattern']} at {data['time']} in {data['season']}",
        ),
        ({"locomotion": move}, f"its first way of moving that {data['terrain']} allows"),
        ({"plan": plan(rules, data)}, "threats first, then feeding or rest"),
        ({"interactions": interactions}, "each neighbour by relation and distance"),
    ]
