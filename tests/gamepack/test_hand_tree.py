"""`tree`, rules 1.0.0, worked by hand from the rules as stated in rules.toml:

- height = min(max_height_m, growth_m x age), diameter = thickening_cm x age (1 decimal)
- levels: 1 from age 0, 2 from 5, 3 from 20, 4 from 60; each level's angle, length ratio and
  count within the species' ranges (the expert takes the middle, its count rounded half to even)
- foliage: the species' colour for the season; density .9 for evergreens, else spring .6,
  summer 1, autumn .7, winter 0
- the cue: the canopy's (bare at density 0) for the band (calm from 0, breeze from 3, gale
  from 8 m/s); sway = min(30, flexibility x wind) (1 decimal)
"""

import pytest

from .handworked import TYPES, accepted, table_tests

RULES_VERSION = "1.0.0"


@pytest.fixture(autouse=True)
def gamepack():
    """Instead of the conftest's: the types come from handworked.TYPES, no plugins per test."""


def _case(species, age, season, wind, height, diameter, bark, depth, level, colour, density,
          cue, sway):  # fmt: skip
    data = {"species": species, "age": age, "season": season, "wind_ms": wind}
    angle, ratio, count = level
    outcome = {
        "trunk": {"height_m": height, "diameter_cm": diameter, "bark": bark},
        "branching": [
            {"level": n, "angle_deg": angle, "length_ratio": ratio, "count": count}
            for n in range(1, depth + 1)
        ],
        "foliage": {"colour": colour, "density": density},
        "sound": {"cue": cue, "sway_deg": sway},
    }
    return data, outcome


CASES = {
    # .4 x 30 = 12 (< 25); 1.2 x 30 = 36; 30 >= 20: 3 levels; middles 55, .7, 4;
    # summer leaves at 1; 5 m/s is a breeze: rustle; .6 x 5 = 3
    "a mature oak in a summer breeze": _case(
        "oak",
        30,
        "summer",
        5.0,
        12.0,
        36.0,
        "furrowed",
        3,
        (55.0, 0.7, 4),
        "green",
        1.0,
        "rustle",
        3.0,
    ),
    # .6 x 3 = 1.8; .8 x 3 = 2.4; 1 level; bare in winter (density 0): a gale cracks;
    # 1.2 x 10 = 12
    "a birch sapling in a winter gale": _case(
        "birch",
        3,
        "winter",
        10.0,
        1.8,
        2.4,
        "white-papery",
        1,
        (40.0, 0.65, 3),
        "none",
        0.0,
        "crack",
        12.0,
    ),
    # .5 x 100 = 50, capped at 30; 1 x 100 = 100; 4 levels; middles 85, .55, 5.5 -> 6;
    # evergreen .9; 2 m/s is calm: needles hush; .5 x 2 = 1
    "an old pine on a calm day": _case(
        "pine",
        100,
        "autumn",
        2.0,
        30.0,
        100.0,
        "scaly",
        4,
        (85.0, 0.55, 6),
        "dark-green",
        0.9,
        "hush",
        1.0,
    ),
    # .8 x 60 = 48, capped at 15; 1.5 x 60 = 90; 60 >= 60: 4 levels; spring .6; a gale roars;
    # 1.5 x 20 = 30, the cap itself
    "a willow in a spring storm": _case(
        "willow",
        60,
        "spring",
        20.0,
        15.0,
        90.0,
        "ridged",
        4,
        (65.0, 0.8, 5),
        "light-green",
        0.6,
        "roar",
        30.0,
    ),
    # .3 x 5 = 1.5; .6 x 5 = 3; 5 >= 5: 2 levels; middles 30, .4, 1.5 -> 2; fronds in a
    # breeze (3 >= 3) flap; 1 x 3 = 3
    "a young palm": _case(
        "palm",
        5,
        "summer",
        3.0,
        1.5,
        3.0,
        "ringed",
        2,
        (30.0, 0.4, 2),
        "green",
        0.9,
        "flap",
        3.0,
    ),
    # .5 x 20 = 10; 1 x 20 = 20; 20 >= 20: 3 levels; middle angle 47.5; autumn .7, red;
    # 8 m/s is a gale: roar; .8 x 8 = 6.4
    "a maple in an autumn gale": _case(
        "maple",
        20,
        "autumn",
        8.0,
        10.0,
        20.0,
        "grey-fissured",
        3,
        (47.5, 0.7, 3),
        "red",
        0.7,
        "roar",
        6.4,
    ),
    # .45 x 10 = 4.5; .9 x 10 = 9; 2 levels; 7.9 < 8 is still a breeze: whisper;
    # .4 x 7.9 = 3.16 -> 3.2
    "a spruce just short of a gale": _case(
        "spruce",
        10,
        "winter",
        7.9,
        4.5,
        9.0,
        "flaky",
        2,
        (95.0, 0.5, 5),
        "blue-green",
        0.9,
        "whisper",
        3.2,
    ),
    # .4 x 4 = 1.6; 1.2 x 4 = 4.8; 1 level; bare and calm: silence; .6 x 1 = .6
    "a bare oak sapling": _case(
        "oak",
        4,
        "winter",
        1.0,
        1.6,
        4.8,
        "furrowed",
        1,
        (55.0, 0.7, 4),
        "none",
        0.0,
        "silence",
        0.6,
    ),
    # .45 x 11 = 4.95 -> 5.0 (1 decimal); .9 x 11 = 9.9; 2 levels; no wind: hush, no sway
    "a spruce of eleven": _case(
        "spruce",
        11,
        "summer",
        0.0,
        5.0,
        9.9,
        "flaky",
        2,
        (95.0, 0.5, 5),
        "blue-green",
        0.9,
        "hush",
        0.0,
    ),
    # not the expert's middles, and still right: level 1 at the bottom of every oak range
    # (40 deg, .6, 3 branches), level 2 at the top (70, .8, 5)
    "an oak at the edges of its ranges": _case(
        "oak",
        30,
        "summer",
        5.0,
        12.0,
        36.0,
        "furrowed",
        3,
        (55.0, 0.7, 4),
        "green",
        1.0,
        "rustle",
        3.0,
    ),
}


NOT_THE_EXPERTS = {"an oak at the edges of its ranges"}
CASES["an oak at the edges of its ranges"][1]["branching"][:2] = [
    {"level": 1, "angle_deg": 40.0, "length_ratio": 0.6, "count": 3},
    {"level": 2, "angle_deg": 70.0, "length_ratio": 0.8, "count": 5},
]


def _set(*path_and_value):
    *path, value = path_and_value

    def mutate(outcome):
        target = outcome
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _levels_from_zero(outcome):
    for index, level in enumerate(outcome["branching"]):
        level["level"] = index


def _drop_last_level(outcome):
    outcome["branching"].pop()


WRONG = [
    # 0.1 m is the tolerance: 12.1 passes (see below), 12.2 does not
    ("a mature oak in a summer breeze", _set("trunk", "height_m", 12.2), "trunk-height"),
    # just past the edges: 39.5 deg, 0.81, 6 branches
    ("an oak at the edges of its ranges", _set("branching", 0, "angle_deg", 39.5), "branch-angle"),
    (
        "an oak at the edges of its ranges",
        _set("branching", 1, "length_ratio", 0.81),
        "branch-ratio",
    ),
    ("an oak at the edges of its ranges", _set("branching", 1, "count", 6), "branch-count"),
    # the cap taken for the height: 25, not .4 x 30 = 12
    ("a mature oak in a summer breeze", _set("trunk", "height_m", 25.0), "trunk-height"),
    ("a birch sapling in a winter gale", _set("trunk", "height_m", 40.0), "trunk-height"),
    # the uncapped 50 m pine
    ("an old pine on a calm day", _set("trunk", "height_m", 50.0), "trunk-height"),
    ("a mature oak in a summer breeze", _set("trunk", "diameter_cm", 18.0), "trunk-diameter"),
    ("an old pine on a calm day", _set("trunk", "bark", "furrowed"), "trunk-bark"),
    # a birch's angle on a pine (70-100)
    ("an old pine on a calm day", _set("branching", 0, "angle_deg", 40.0), "branch-angle"),
    ("a mature oak in a summer breeze", _set("branching", 2, "length_ratio", 0.95), "branch-ratio"),
    ("a young palm", _set("branching", 1, "count", 3), "branch-count"),
    # 60 years: 4 levels
    ("a willow in a spring storm", _drop_last_level, "branch-levels"),
    ("a spruce just short of a gale", _levels_from_zero, "branch-levels"),
    ("a birch sapling in a winter gale", _set("foliage", "colour", "green"), "foliage-season"),
    # summer's density in autumn
    ("a maple in an autumn gale", _set("foliage", "density", 1.0), "foliage-season"),
    # no leaves, no rustle
    ("a bare oak sapling", _set("sound", "cue", "soft-rustle"), "sound-cue"),
    # 7.9 m/s read as a gale
    ("a spruce just short of a gale", _set("sound", "cue", "howl"), "sound-cue"),
    # flexibility 1 instead of the maple's .8
    ("a maple in an autumn gale", _set("sound", "sway_deg", 8.0), "sound-sway"),
]


(
    test_the_cases_name_the_rules_version,
    test_the_hand_worked_outcome_is_accepted_and_the_expert_reaches_it,
    test_a_plausible_wrong_outcome_is_refused_by_its_rule,
) = table_tests("tree", RULES_VERSION, CASES, WRONG, NOT_THE_EXPERTS)


def test_a_value_off_by_exactly_the_tolerance_is_accepted():
    data, outcome = CASES["a mature oak in a summer breeze"]
    outcome = {**outcome, "trunk": {**outcome["trunk"], "height_m": 12.1}}  # 12 + 0.1
    accepted(TYPES["tree"], data, outcome)
