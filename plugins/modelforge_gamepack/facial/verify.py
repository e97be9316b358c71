"""The `facial` verifier: prototype units, their intensities, the rig's shapes, the timing."""

from __future__ import annotations

from modelforge_gamepack.facial import face
from modelforge_gamepack.kit.checks import close, mapping, number, require


def check_units(rules: dict, data: dict, outcome: dict) -> None:
    units = mapping(outcome["action_units"], "action_units")
    expected = face.action_units(rules, data)
    missing, extra = sorted(set(expected) - set(units)), sorted(set(units) - set(expected))
    emotions = " + ".join(data["blend"])
    require(not missing, "au-prototype", f"{emotions} shows {', '.join(missing)}")
    require(not extra, "au-prototype", f"{', '.join(extra)} is not part of {emotions}")
    tolerance = rules["intensity"]["tolerance"]
    for unit, value in units.items():
        require(
            close(number(value, unit), expected[unit], tolerance),
            "au-intensity",
            f"{unit} has intensity {expected[unit]:.2f}, not {value}",
        )


def check_shapes(rules: dict, data: dict, outcome: dict) -> None:
    shapes = mapping(outcome["blendshapes"], "blendshapes")
    expected = face.blendshapes(rules, data["rig"], outcome["action_units"])
    wrong = sorted(set(shapes) ^ set(expected))
    require(
        not wrong,
        "rig-mapping",
        f"the {data['rig']} rig maps the units to {sorted(expected)}; differs at {wrong}",
    )
    tolerance = rules["intensity"]["tolerance"]
    for shape, value in shapes.items():
        require(
            close(number(value, shape), expected[shape], tolerance),
            "blendshape-weight",
            f"{shape} weighs {expected[shape]:.2f}, not {value}",
        )


def check_timing(rules: dict, data: dict, outcome: dict) -> None:
    timing = mapping(outcome["timing"], "timing")
    require(set(timing) == set(face.PARTS), "format", f"timing has {', '.join(face.PARTS)}")
    values = {part: number(timing[part], part) for part in face.PARTS}
    total = sum(values.values())
    require(
        total == data["duration_ms"],
        "timing-sum",
        f"onset + apex + offset is {total:g} ms, not {data['duration_ms']} ms",
    )
    lead = face.leading(data)
    for part in face.PARTS:
        lo, hi = rules["timing"][lead][part]
        require(
            lo <= values[part] <= hi,
            "timing-range",
            f"{lead}'s {part} lies in [{lo}, {hi}], not {values[part]:g}",
        )


CHECKS = {"action_units": check_units, "blendshapes": check_shapes, "timing": check_timing}
