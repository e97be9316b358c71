"""Plan geometry shared by the expert and the verifier: rectangles on floors, walls, reachability.

A room is a dict with name, kind, floor, x, y, w, d (metres; x along the width, y along the
depth, the footprint's corner at 0, 0).
"""

from __future__ import annotations

from collections import deque
from itertools import pairwise

OUTSIDE = "outside"


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def overlaps(a: dict, b: dict) -> bool:
    """Two rooms of one floor sharing more than a line."""
    return (
        a["floor"] == b["floor"]
        and _overlap(a["x"], a["x"] + a["w"], b["x"], b["x"] + b["w"]) > 1e-9
        and _overlap(a["y"], a["y"] + a["d"], b["y"], b["y"] + b["d"]) > 1e-9
    )


def common_wall(a: dict, b: dict) -> float:
    """The length of wall two rooms of one floor share (0 when they do not touch)."""
    if a["floor"] != b["floor"]:
        return 0.0
    along_y = _overlap(a["y"], a["y"] + a["d"], b["y"], b["y"] + b["d"])
    along_x = _overlap(a["x"], a["x"] + a["w"], b["x"], b["x"] + b["w"])
    if abs(a["x"] + a["w"] - b["x"]) < 1e-9 or abs(b["x"] + b["w"] - a["x"]) < 1e-9:
        return max(0.0, along_y)
    if abs(a["y"] + a["d"] - b["y"]) < 1e-9 or abs(b["y"] + b["d"] - a["y"]) < 1e-9:
        return max(0.0, along_x)
    return 0.0


def exterior(room: dict, width: float, depth: float) -> bool:
    """Whether the room touches an outer wall of the footprint."""
    return (
        room["x"] <= 1e-9
        or room["y"] <= 1e-9
        or room["x"] + room["w"] >= width - 1e-9
        or room["y"] + room["d"] >= depth - 1e-9
    )


def reachable(rooms: list[dict], doors: list[list[str]], stairwell: list[str]) -> set[str]:
    """The rooms reachable from the outside through doors, and between the stairwell's rooms."""
    links: dict[str, set[str]] = {OUTSIDE: set()}
    for a, b in doors:
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    for a, b in pairwise(stairwell):
        links.setdefault(a, set()).add(b)
        links.setdefault(b, set()).add(a)
    seen, queue = {OUTSIDE}, deque([OUTSIDE])
    while queue:
        for nxt in links.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen - {OUTSIDE}


def stairwell(rooms: list[dict]) -> list[str]:
    """The hall then the landings, floor by floor: the stairs join each to the next."""
    stacked = [room for room in rooms if room["kind"] in ("hall", "landing")]
    return [room["name"] for room in sorted(stacked, key=lambda room: room["floor"])]
