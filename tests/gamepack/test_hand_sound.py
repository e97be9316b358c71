"""`sound`, rules 1.0.0, worked by hand from the rules as stated in rules.toml:

- the category is the subject's, the mood the requested one
- attack, decay, release and sustain in the mood's ranges, attack + decay + release within the
  duration; the expert starts each time at its shortest and grows attack, then decay, then
  release by half its range (integer) while the duration lasts; sustain the range's middle
- the band within the subject's (the expert takes all of it)
- layers: the subject's core and the mood's, extras of the category allowed, no more than its
  max_layers; environment and music loop, building and animal do not, a jump scare never loops;
  loudness in the mood's LUFS range (the expert takes the middle)
"""

import copy

import pytest

from .handworked import TYPES, accepted, table_tests

RULES_VERSION = "1.0.0"


@pytest.fixture(autouse=True)
def gamepack():
    """Instead of the conftest's: the types come from handworked.TYPES, no plugins per test."""


def _case(subject, mood, duration, category, adsr, band, layers, loop, lufs):
    attack, decay, sustain, release = adsr
    data = {"subject": subject, "mood": mood, "duration_ms": duration}
    outcome = {
        "category": category,
        "mood": mood,
        "envelope": {
            "attack_ms": attack,
            "decay_ms": decay,
            "sustain": sustain,
            "release_ms": release,
        },
        "band": {"low_hz": band[0], "high_hz": band[1]},
        "layers": layers,
        "loop": loop,
        "lufs": lufs,
    }
    return data, outcome


CASES = {
    # calm: shortest 150 + 100 + 400 = 650, 2350 left; attack + 850 // 2 = 425 -> 575;
    # decay + 700 // 2 = 350 -> 450; release + 1600 // 2 = 800 -> 1200; sustain (.5 + .9) / 2;
    # a building sound does not loop; (-26 - 18) / 2 = -22
    "a calm door creak": _case(
        "door_creak",
        "calm",
        3000,
        "building",
        (575, 450, 0.7, 1200),
        (200, 3000),
        ["creak"],
        False,
        -22.0,
    ),
    # eerie: 400 + 100 + 800 = 1300, 700 left: all to the attack (half its range is 800)
    "an eerie howl": _case(
        "wolf_howl",
        "eerie",
        2000,
        "animal",
        (1100, 100, 0.6, 800),
        (300, 2000),
        ["howl", "drone"],
        False,
        -26.0,
    ),
    # calm: 650, 350 left to the attack; environment loops
    "calm rain": _case(
        "rain",
        "calm",
        1000,
        "environment",
        (500, 100, 0.7, 400),
        (400, 12000),
        ["rain"],
        True,
        -22.0,
    ),
    # high energy: 1 + 20 + 50 = 71, 929 left; attack + 29 // 2 = 14 -> 15; decay + 90 -> 110;
    # release + 175 -> 225; sustain .8; (-14 - 8) / 2 = -11
    "an energetic battle theme": _case(
        "battle_theme",
        "high_energy",
        1000,
        "music",
        (15, 110, 0.8, 225),
        (40, 10000),
        ["ensemble", "percussion"],
        True,
        -11.0,
    ),
    # jump scare: 0 + 50 + 100 = 150, 350 left; attack + 5; decay + 125 -> 175; release + 220
    # of 350 -> 320; music loops, but a jump scare never does; (-12 - 6) / 2 = -9
    "a lullaby jump scare": _case(
        "lullaby",
        "jump_scare",
        500,
        "music",
        (5, 175, 0.2, 320),
        (200, 4000),
        ["melody", "transient"],
        False,
        -9.0,
    ),
    # melancholy: 300 + 200 + 600 = 1100, 400 left to the attack -> 700; (-24 - 18) / 2 = -21
    "a melancholy bell": _case(
        "bell_tower",
        "melancholy",
        1500,
        "building",
        (700, 200, 0.5, 600),
        (300, 2500),
        ["bell", "pad"],
        False,
        -21.0,
    ),
    # eerie: 1300, 3700 left; attack + 800 -> 1200; decay + 450 -> 550; release + 1100 -> 1900;
    # the core drone is also the mood's layer: once
    "a dungeon drone": _case(
        "dungeon_ambience",
        "eerie",
        5000,
        "music",
        (1200, 550, 0.6, 1900),
        (30, 3000),
        ["drone"],
        True,
        -26.0,
    ),
    # high energy in 100 ms: 71, 29 left; attack + 14 -> 15; decay + 15 -> 35; release 50
    "a short crackle": _case(
        "campfire",
        "high_energy",
        100,
        "environment",
        (15, 35, 0.8, 50),
        (60, 6000),
        ["crackle", "percussion"],
        True,
        -11.0,
    ),
    # not the expert's middles, and still right: every value at an edge of the calm ranges
    # (attack 150 low, decay 800 high, release 400 low: 1350 <= 3000; sustain .9 high;
    # -26 LUFS low), two of the building extras (3 layers, the most it may have)
    "a calm door creak at the edges": _case(
        "door_creak",
        "calm",
        3000,
        "building",
        (150, 800, 0.9, 400),
        (200, 3000),
        ["creak", "reverb-tail", "debris"],
        False,
        -26.0,
    ),
}


NOT_THE_EXPERTS = {"a calm door creak at the edges"}


def _set(*path_and_value):
    *path, value = path_and_value

    def mutate(outcome):
        target = outcome
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _without(layer):
    def mutate(outcome):
        outcome["layers"].remove(layer)

    return mutate


WRONG = [
    # 20000 Hz is audible, but rain stops at 12000; 20001 Hz is not audible at all
    ("calm rain", _set("band", "high_hz", 20000), "band-subject"),
    ("calm rain", _set("band", "high_hz", 20001), "band-order"),
    # audible from 20 Hz, but a battle theme starts at 40
    ("an energetic battle theme", _set("band", "low_hz", 20), "band-subject"),
    # an empty band: low must be below high
    ("a lullaby jump scare", _set("band", {"low_hz": 500, "high_hz": 500}), "band-order"),
    ("a calm door creak at the edges", _set("lufs", -26.5), "loudness-mood"),
    # 575 + 450 + 3000 > 3000
    ("a calm door creak", _set("envelope", "release_ms", 3000), "envelope-duration"),
    ("a calm door creak", _set("envelope", "sustain", 1.5), "envelope-range"),
    ("a calm door creak", _set("envelope", "decay_ms", -50), "envelope-range"),
    # fits in the second (300 + 110 + 225 = 635) but high energy attacks in 1-30 ms
    ("an energetic battle theme", _set("envelope", "attack_ms", 300), "envelope-mood"),
    ("a dungeon drone", _set("envelope", "sustain", 0.9), "envelope-mood"),
    ("an eerie howl", _set("category", "environment"), "category"),
    ("an eerie howl", _set("mood", "calm"), "category"),
    ("calm rain", _set("band", "high_hz", 19000), "band-subject"),
    ("a melancholy bell", _set("band", {"low_hz": 2500, "high_hz": 300}), "band-order"),
    ("an eerie howl", _without("drone"), "layers-mood"),
    ("an eerie howl", _without("howl"), "layers-core"),
    ("a calm door creak", _set("layers", ["creak", "choir"]), "layers-known"),
    # building sounds hold at most 3 layers
    (
        "a calm door creak",
        _set("layers", ["creak", "reverb-tail", "debris", "room-tone"]),
        "layers-count",
    ),
    ("a lullaby jump scare", _set("loop", True), "loop-rule"),
    ("calm rain", _set("loop", False), "loop-rule"),
    ("a calm door creak", _set("lufs", -6), "loudness-mood"),
]


(
    test_the_cases_name_the_rules_version,
    test_the_hand_worked_outcome_is_accepted_and_the_expert_reaches_it,
    test_a_plausible_wrong_outcome_is_refused_by_its_rule,
) = table_tests("sound", RULES_VERSION, CASES, WRONG, NOT_THE_EXPERTS)


# Right too, at the very edges of their ranges (the mood's, [0, 1] for sustain)
ALSO_RIGHT = [
    ("a lullaby jump scare", ("envelope", "attack_ms"), 0),
    ("a lullaby jump scare", ("envelope", "sustain"), 0.0),
    ("an energetic battle theme", ("envelope", "sustain"), 1.0),
    ("a calm door creak", ("lufs",), -18.0),
]


@pytest.mark.parametrize(("name", "path", "value"), ALSO_RIGHT)
def test_a_value_at_the_edge_of_its_range_is_accepted(name, path, value):
    data, outcome = CASES[name]
    right = copy.deepcopy(outcome)
    _set(*path, value)(right)
    accepted(TYPES["sound"], data, right)
