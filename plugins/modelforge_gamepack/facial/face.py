"""The rules' arithmetic shared by the expert and the verifier: units, blendshapes, timing."""

from __future__ import annotations

PARTS = ("onset_ms", "apex_ms", "offset_ms")  # a timing curve's phases, in order


def action_units(rules: dict, data: dict) -> dict[str, float]:
    out: dict[str, float] = {}
    for emotion, weight in data["blend"].items():
        for unit in rules["prototypes"][emotion]:
            out[unit] = max(out.get(unit, 0.0), round(weight * data["intensity"], 2))
    return out


def blendshapes(rules: dict, rig: str, units: dict[str, float]) -> dict[str, float]:
    out: dict[str, float] = {}
    for unit, value in units.items():
        for shape in rules["rigs"][rig][unit]:
            out[shape] = max(out.get(shape, 0.0), value)
    return out


def leading(data: dict) -> str:
    """The blend's stronger emotion (ties: the first named), whose timing the face follows."""
    return max(data["blend"], key=lambda emotion: data["blend"][emotion])
