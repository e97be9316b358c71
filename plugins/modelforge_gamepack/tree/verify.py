"""The `tree` verifier: trunk growth, branching within the species' ranges, canopy, wind."""

from __future__ import annotations

from modelforge_gamepack.kit.checks import close, items, mapping, number, require
from modelforge_gamepack.tree import growth

LEVEL_KEYS = {"level", "angle_deg", "length_ratio", "count"}


def check_trunk(rules: dict, data: dict, outcome: dict) -> None:
    got = mapping(outcome["trunk"], "trunk")
    require(
        set(got) == {"height_m", "diameter_cm", "bark"}, "format", "height_m, diameter_cm, bark"
    )
    want = growth.trunk(rules, data)
    tolerance = rules["trunk"]["tolerance"]
    require(
        close(number(got["height_m"], "height_m"), want["height_m"], tolerance),
        "trunk-height",
        f"a {data['age']}-year {data['species']} stands {want['height_m']} m",
    )
    require(
        close(number(got["diameter_cm"], "diameter_cm"), want["diameter_cm"], tolerance),
        "trunk-diameter",
        f"its trunk is {want['diameter_cm']} cm across",
    )
    require(got["bark"] == want["bark"], "trunk-bark", f"{data['species']} bark is {want['bark']}")


def check_branching(rules: dict, data: dict, outcome: dict) -> None:
    spec = rules["species"][data["species"]]
    levels = [mapping(level, "a level") for level in items(outcome["branching"], "branching")]
    depth = growth.levels(rules, data["age"])
    numbers = [level.get("level") for level in levels]
    require(
        numbers == list(range(1, depth + 1)),
        "branch-levels",
        f"a {data['age']}-year tree has levels 1 to {depth}, not {numbers}",
    )
    for level in levels:
        require(set(level) == LEVEL_KEYS, "format", f"a level has {sorted(LEVEL_KEYS)}")
        for key, rule in (
            ("angle_deg", "branch-angle"),
            ("length_ratio", "branch-ratio"),
            ("count", "branch-count"),
        ):
            low, high = spec[key]
            value = number(level[key], key)
            require(
                low <= value <= high,
                rule,
                f"{data['species']} level {level['level']}: {key} {value:g} not in {low}-{high}",
            )


def check_foliage(rules: dict, data: dict, outcome: dict) -> None:
    got = mapping(outcome["foliage"], "foliage")
    want = growth.foliage(rules, data)
    require(
        got.get("colour") == want["colour"]
        and close(
            number(got.get("density"), "density"), want["density"], rules["foliage"]["tolerance"]
        )
        and set(got) == set(want),
        "foliage-season",
        f"a {data['species']} in {data['season']} is {want['colour']} at density {want['density']}",
    )


def check_sound(rules: dict, data: dict, outcome: dict) -> None:
    got = mapping(outcome["sound"], "sound")
    require(set(got) == {"cue", "sway_deg"}, "format", "cue and sway_deg")
    want = growth.cue(rules, data, outcome["foliage"]["density"])
    require(got["cue"] == want, "sound-cue", f"wind at {data['wind_ms']} m/s here sounds {want}")
    sway = growth.sway(rules, data)
    require(
        close(number(got["sway_deg"], "sway_deg"), sway, rules["wind"]["sway_tolerance"]),
        "sound-sway",
        f"the crown sways {sway} degrees",
    )


CHECKS = {
    "trunk": check_trunk,
    "branching": check_branching,
    "foliage": check_foliage,
    "sound": check_sound,
}
