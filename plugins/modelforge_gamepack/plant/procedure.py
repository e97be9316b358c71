"""`plant` problems and the expert: first fitting species, its L-system, its seasonal look."""

from __future__ import annotations

import random
from typing import Any

from modelforge_gamepack.plant import lsystem


def fitting(rules: dict, data: dict) -> list[str]:
    """The species that grow in this biome, on this terrain, and show in this season."""
    return [
        name
        for name, spec in rules["species"].items()
        if data["biome"] in spec["biomes"]
        and data["terrain"] in spec["terrains"]
        and data["season"] in spec["present"]
    ]


def angle(spec: dict, spread: float) -> float:
    lo, hi = spec["lsystem"]["angle"]
    return round(lo + spread * (hi - lo), 1)


def iterations(rules: dict, spec: dict, size: str) -> int:
    return spec["lsystem"]["iterations"][rules["sizes"].index(size)]


def look(rules: dict, spec: dict, season: str) -> dict[str, Any]:
    return {
        "foliage": rules["foliage"][spec["kind"]][season],
        "flowers": season in spec["bloom"],
        "fruit": season in spec["fruit"],
    }


def draw(rules: dict, rng: random.Random, category: str, difficulty: int) -> dict[str, Any]:
    biome = rng.choice(rules["categories"][category]["biomes"])
    species = [name for name, spec in rules["species"].items() if biome in spec["biomes"]]
    spec = rules["species"][rng.choice(species)]
    return {
        "biome": biome,
        "terrain": rng.choice(spec["terrains"]),
        "season": rng.choice(spec["present"]),
        "size": rules["sizes"][difficulty - 1],
        "spread": round(rng.uniform(0, 1), 2),
    }


def describe(data: dict[str, Any]) -> str:
    return (
        f"Plant for biome {data['biome']}, terrain {data['terrain']}, season {data['season']}: "
        f"size {data['size']}, spread {data['spread']:.2f}."
    )


def solve(rules: dict, data: dict[str, Any]) -> list[tuple[dict, str]]:
    name = fitting(rules, data)[0]
    spec = rules["species"][name]
    grammar = {
        "axiom": spec["lsystem"]["axiom"],
        "rules": dict(spec["lsystem"]["rules"]),
        "angle": angle(spec, data["spread"]),
        "iterations": iterations(rules, spec, data["size"]),
    }
    bound = rules["lsystem"]["max_symbols"]
    expanded = lsystem.expand(grammar["axiom"], grammar["rules"], grammar["iterations"], bound)
    return [
        (
            {"species": name},
            f"the first species fit for {data['biome']}, {data['terrain']}, {data['season']}",
        ),
        (
            {"lsystem": grammar, "segments": lsystem.segments(expanded)},
            f"{name}'s grammar at {data['size']} size, expanded and counted",
        ),
        ({"season": look(rules, spec, data["season"])}, f"{spec['kind']} look in {data['season']}"),
    ]
