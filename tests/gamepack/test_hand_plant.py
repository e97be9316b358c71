"""`plant`, rules 1.0.0, worked by hand from the rules as stated in rules.toml:

- any species that grows in the biome, on the terrain and shows in the season; the expert takes
  the first listed (bamboo, cactus, agave, arctic_poppy, fern, heather, moss, orchid, reed,
  sunflower, tulip, oak_seedling)
- the species' axiom and productions; angle = lo + spread x (hi - lo) (1 decimal, within 0.5);
  iterations the species' count for small/medium/large; segments = the F in the expansion
- the look: the kind's foliage for the season, flowers in bloom seasons, fruit in fruit seasons

Segment counts: with f F and x X, `F -> F[+F][-F]` gives f' = 3f; `F -> FF[+F]` f' = 3f;
`F -> F[+F]F` f' = 3f; `F -> FF[+F][-F]` f' = 4f; `X -> F[+X][-X]FX, F -> FF` f' = 2f + 2x,
x' = 3x; `X -> F[+X][-X], F -> FF` f' = 2f + x, x' = 2x.
"""

import pytest

from .handworked import TYPES, table_tests

RULES_VERSION = "1.0.0"


@pytest.fixture(autouse=True)
def gamepack():
    """Instead of the conftest's: the types come from handworked.TYPES, no plugins per test."""


def _case(biome, terrain, season, size, spread, species, axiom, productions, angle, n, segments,
          foliage, flowers, fruit):  # fmt: skip
    data = {"biome": biome, "terrain": terrain, "season": season, "size": size, "spread": spread}
    outcome = {
        "species": species,
        "lsystem": {"axiom": axiom, "rules": productions, "angle": angle, "iterations": n},
        "segments": segments,
        "season": {"foliage": foliage, "flowers": flowers, "fruit": fruit},
    }
    return data, outcome


CASES = {
    # cactus (first for desert/flat/summer); 80 + .5 x 10 = 85; small: 1 iteration, 3 F;
    # succulent: blue-green; blooms in spring, fruits in summer
    "a cactus in summer": _case(
        "desert",
        "flat",
        "summer",
        "small",
        0.5,
        "cactus",
        "F",
        {"F": "F[+F][-F]"},
        85.0,
        1,
        3,
        "blue-green",
        False,
        True,
    ),
    # cactus again (rocky is its terrain); 80 + .25 x 10 = 82.5; medium: 2 iterations, 3 x 3 = 9
    "a cactus flowering in spring": _case(
        "desert",
        "rocky",
        "spring",
        "medium",
        0.25,
        "cactus",
        "F",
        {"F": "F[+F][-F]"},
        82.5,
        2,
        9,
        "blue-green",
        True,
        False,
    ),
    # arctic poppy: tundra, flat, summer only; 15 + 0 = 15; large: 3 iterations, 27 F
    "an arctic poppy": _case(
        "tundra",
        "flat",
        "summer",
        "large",
        0.0,
        "arctic_poppy",
        "F",
        {"F": "F[+F]F"},
        15.0,
        3,
        27,
        "green",
        True,
        False,
    ),
    # moss: wetland on a riverbank, all year; 40 + 1 x 20 = 60; small: 2 iterations, 9 F;
    # evergreen in winter: green
    "moss on a winter riverbank": _case(
        "wetland",
        "riverbank",
        "winter",
        "small",
        1.0,
        "moss",
        "F",
        {"F": "F[+F]F"},
        60.0,
        2,
        9,
        "green",
        False,
        False,
    ),
    # reed: wetland on flat ground (moss needs rock or riverbank); 5 + .5 x 7 = 8.5;
    # medium: 3 iterations, 27 F; deciduous in autumn: amber; fruits in autumn
    "reeds in autumn": _case(
        "wetland",
        "flat",
        "autumn",
        "medium",
        0.5,
        "reed",
        "F",
        {"F": "FF[+F]"},
        8.5,
        3,
        27,
        "amber",
        False,
        True,
    ),
    # bamboo: first for rainforest/slope; 5 + .4 x 10 = 9; medium: 4 iterations, 81 F
    "bamboo on a rainforest slope": _case(
        "rainforest",
        "slope",
        "spring",
        "medium",
        0.4,
        "bamboo",
        "F",
        {"F": "FF[+F]"},
        9.0,
        4,
        81,
        "green",
        False,
        False,
    ),
    # heather: grassland slope; 15 + .5 x 10 = 20; small: 2 iterations, (f, x): (0, 1) ->
    # (2, 3) -> (2x2 + 2x3, 9) = 10 F; evergreen; blooms in autumn
    "heather in autumn": _case(
        "grassland",
        "slope",
        "autumn",
        "small",
        0.5,
        "heather",
        "X",
        {"X": "F[+X][-X]FX", "F": "FF"},
        20.0,
        2,
        10,
        "green",
        True,
        False,
    ),
    # sunflower: grassland, flat, spring; 10 + .6 x 10 = 16; medium: 2 iterations, 4 x 4 = 16;
    # annual in spring: light-green; blooms in summer only
    "a young sunflower": _case(
        "grassland",
        "flat",
        "spring",
        "medium",
        0.6,
        "sunflower",
        "F",
        {"F": "FF[+F][-F]"},
        16.0,
        2,
        16,
        "light-green",
        False,
        False,
    ),
    # any fitting species will do, not only the expert's bamboo: oak seedling, 25 + .5 x 20 = 35;
    # large: 4 iterations, (0, 1) -> (1, 2) -> (4, 4) -> (12, 8) -> (32, 16): 32 F; bare in winter
    "an oak seedling in winter": _case(
        "temperate_forest",
        "slope",
        "winter",
        "large",
        0.5,
        "oak_seedling",
        "X",
        {"X": "F[+X][-X]", "F": "FF"},
        35.0,
        4,
        32,
        "bare",
        False,
        False,
    ),
    # reed at a third of its spread: 5 + .33 x 7 = 7.31 -> 7.3 (1 decimal); small: 2
    # iterations, 9 F; deciduous in summer: green, in bloom
    "reeds at a third of their spread": _case(
        "wetland",
        "flat",
        "summer",
        "small",
        0.33,
        "reed",
        "F",
        {"F": "FF[+F]"},
        7.3,
        2,
        9,
        "green",
        True,
        False,
    ),
    # not the expert's (cactus is listed first), and still right: agave on a desert slope, at
    # the most iterations allowed, 6 (large); X -> [+F][-F]FX adds 3 F a round: 18 F;
    # 30 + .5 x 20 = 40
    "a large agave": _case(
        "desert",
        "slope",
        "summer",
        "large",
        0.5,
        "agave",
        "X",
        {"X": "[+F][-F]FX"},
        40.0,
        6,
        18,
        "blue-green",
        True,
        False,
    ),
}
NOT_THE_EXPERTS = {"an oak seedling in winter", "a large agave"}


def _set(*path_and_value):
    *path, value = path_and_value

    def mutate(outcome):
        target = outcome
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


WRONG = [
    # within bounds, but a small cactus takes 1
    ("a cactus in summer", _set("lsystem", "iterations", 0), "lsystem-size"),
    ("a cactus in summer", _set("species", "baobab"), "species-known"),
    ("a cactus in summer", _set("season", "scent", "none"), "format"),
    # 1 off the spread's 8.5: more than the 0.5 allowed
    ("reeds in autumn", _set("lsystem", "angle", 9.5), "lsystem-angle"),
    # tulips grow in grassland on slopes, but only show in spring
    ("heather in autumn", _set("species", "tulip"), "species-season"),
    ("an arctic poppy", _set("species", "cactus"), "species-biome"),
    # moss grows in wetland, but only on rock or riverbanks
    ("reeds in autumn", _set("species", "moss"), "species-terrain"),
    ("a cactus in summer", _set("lsystem", "rules", {"F": "F[+F]F"}), "lsystem-rules"),
    ("a cactus flowering in spring", _set("lsystem", "iterations", 12), "lsystem-bounds"),
    ("a cactus flowering in spring", _set("lsystem", "iterations", 1.5), "lsystem-bounds"),
    # a small cactus takes 1 iteration
    ("a cactus in summer", _set("lsystem", "iterations", 2), "lsystem-size"),
    # one iteration short: 27 of 81
    ("bamboo on a rainforest slope", _set("segments", 27), "lsystem-expansion"),
    # the top of the range, 12, not 8.5
    ("reeds in autumn", _set("lsystem", "angle", 12.0), "lsystem-angle"),
    ("an arctic poppy", _set("lsystem", "angle", 30.0), "lsystem-angle"),
    ("moss on a winter riverbank", _set("season", "foliage", "bare"), "season-foliage"),
    # reeds bloom in summer
    ("reeds in autumn", _set("season", "flowers", True), "season-flowers"),
    ("reeds in autumn", _set("season", "fruit", False), "season-fruit"),
]


(
    test_the_cases_name_the_rules_version,
    test_the_hand_worked_outcome_is_accepted_and_the_expert_reaches_it,
    test_a_plausible_wrong_outcome_is_refused_by_its_rule,
) = table_tests("plant", RULES_VERSION, CASES, WRONG, NOT_THE_EXPERTS)


def test_the_expert_takes_the_first_fitting_species():
    data, _ = CASES["an oak seedling in winter"]
    outcome = TYPES["plant"].procedure.solve(TYPES["plant"].rules.data, data)
    assert outcome[0][0] == {"species": "bamboo"}  # listed first, fits temperate/slope/winter


def test_a_generated_spread_is_a_fraction_with_two_decimals():
    plant = TYPES["plant"]
    spreads = {plant.generate_problem("temperate", 1, seed).data["spread"] for seed in range(30)}
    assert all(0 <= s <= 1 and round(s, 2) == s for s in spreads)
    assert len(spreads - {0, 1}) > 10  # not rounded to whole numbers


def test_the_size_follows_the_difficulty():
    plant = TYPES["plant"]
    for level, size in ((1, "small"), (2, "medium"), (3, "large")):
        assert plant.generate_problem("harsh", level, 4).data["size"] == size
