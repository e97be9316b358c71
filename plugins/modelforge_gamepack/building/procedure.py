"""`building` problems and the expert: rooms as strips across the depth, doors along the row."""

from __future__ import annotations

import math
import random
from collections import Counter
from itertools import pairwise
from typing import Any

from modelforge_gamepack.building import geometry


def _width(rules: dict, kind: str, depth: int) -> int:
    """The narrowest strip of the full depth that is big enough for the kind."""
    if kind in ("hall", "landing"):  # the landing sits on the hall: one width for both
        need = max(rules["rooms"]["min_area_m2"]["hall"], rules["rooms"]["min_area_m2"]["landing"])
    else:
        need = rules["rooms"]["min_area_m2"][kind]
    return max(rules["rooms"]["min_side_m"], math.ceil(need / depth))


def floor_plan(rules: dict, data: dict) -> dict[int, list[str]]:
    """The kinds on each floor, stairwell first: ground-only kinds below, the rest spread above."""
    plan = {0: ["hall"], **{level: ["landing"] for level in range(1, data["floors"])}}
    upper = list(range(1, data["floors"]))
    for index, kind in enumerate(data["rooms"]):
        if kind in rules["rooms"]["ground_only"] or not upper:
            plan[0].append(kind)
        else:
            plan[upper[index % len(upper)]].append(kind)
    return plan


def draw(rules: dict, rng: random.Random, category: str, difficulty: int) -> dict[str, Any]:
    spec = rules["generator"][category]
    extras = rng.randint(*rules["difficulty"]["extra_rooms"][str(difficulty)])
    rooms = spec["rooms"] + [rng.choice(spec["extras"]) for _ in range(extras)]
    data = {
        "style": rng.choice(sorted(rules["styles"])),
        "floors": rng.randint(*spec["floors"]),
        "depth": rng.randint(*rules["generator"]["depth_m"]),
        "rooms": sorted(rooms),
    }
    widest = max(
        sum(_width(rules, kind, data["depth"]) for kind in kinds)
        for kinds in floor_plan(rules, data).values()
    )
    return {**data, "width": widest + rng.randint(*rules["generator"]["slack_m"])}


def describe(data: dict[str, Any]) -> str:
    rooms = ", ".join(f"{kind} x{n}" for kind, n in sorted(Counter(data["rooms"]).items()))
    return (
        f"Building: {data['style']} style, footprint {data['width']} m x {data['depth']} m, "
        f"{data['floors']} floor(s). Required rooms: {rooms}."
    )


def layout(rules: dict, data: dict) -> list[dict]:
    counts = Counter(["hall", *data["rooms"]]) + Counter({"landing": data["floors"] - 1})
    seen: Counter = Counter()
    rooms = []
    for level, kinds in floor_plan(rules, data).items():
        x = 0
        for index, kind in enumerate(kinds):
            seen[kind] += 1
            name = kind if counts[kind] == 1 else f"{kind}{seen[kind]}"
            w = _width(rules, kind, data["depth"])
            if index == len(kinds) - 1 and kind not in ("hall", "landing"):
                w = data["width"] - x  # the last room takes what is left of the floor
            rooms.append(
                {
                    "name": name,
                    "kind": kind,
                    "floor": level,
                    "x": x,
                    "y": 0,
                    "w": w,
                    "d": data["depth"],
                }
            )
            x += w
    return rooms


def solve(rules: dict, data: dict[str, Any]) -> list[tuple[dict, str]]:
    style = rules["styles"][data["style"]]
    rooms = layout(rules, data)
    doors = [[geometry.OUTSIDE, "hall"]]
    for level in range(data["floors"]):
        row = [room["name"] for room in rooms if room["floor"] == level]
        doors += [[a, b] for a, b in pairwise(row)]
    windows = {r["name"]: 1 for r in rooms if r["kind"] in rules["rooms"]["needs_window"]}
    lit = rules["rooms"]["lit_at_night"]
    lighting = {
        "day_lit": sorted(windows),
        "night_lit": sorted(r["name"] for r in rooms if r["name"] in windows and r["kind"] in lit),
        "exterior": style["exterior_light"],
    }
    area = data["width"] * data["depth"]
    return [
        (
            {"footprint": {"width": data["width"], "depth": data["depth"], "area": area}},
            "the lot as requested",
        ),
        (
            {
                "floors": [
                    {"level": n, "height": style["floor_height_m"]} for n in range(data["floors"])
                ]
            },
            f"{data['style']} storeys",
        ),
        (
            {"rooms": rooms, "total_area": sum(r["w"] * r["d"] for r in rooms)},
            "strips across the full depth, hall and landings stacked at x=0",
        ),
        ({"doors": doors}, "front door to the hall, then each strip to the next"),
        ({"windows": windows}, "every strip touches the front and back walls"),
        ({"facade": dict(style["facade"])}, f"the {data['style']} facade"),
        ({"lighting": lighting}, "sunlit by day; lit rooms and the style's lamps at night"),
    ]
