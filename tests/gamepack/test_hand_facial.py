"""`facial`, rules 1.0.0, worked by hand from the rules as stated in rules.toml:

- units: the union of the emotions' EMFACS prototypes, each at the largest weight x intensity
- blendshapes: the rig's shapes for each unit, each at the largest intensity driving it
- timing: the leading (stronger; ties the first named) emotion's onset/apex/offset ranges, adding
  up to the duration; the expert starts at each minimum and grows the apex, then the offset,
  then the onset
"""

import pytest

from .handworked import table_tests

RULES_VERSION = "1.0.0"


@pytest.fixture(autouse=True)
def gamepack():
    """Instead of the conftest's: the types come from handworked.TYPES, no plugins per test."""


def _sides(value, *names):
    """ARKit shapes come in Left/Right pairs."""
    return {f"{name}{side}": value for name in names for side in ("Left", "Right")}


def _case(blend, intensity, rig, duration, units, shapes, onset, apex, offset):
    data = {"blend": blend, "intensity": intensity, "rig": rig, "duration_ms": duration}
    outcome = {
        "action_units": units,
        "blendshapes": shapes,
        "timing": {"onset_ms": onset, "apex_ms": apex, "offset_ms": offset},
    }
    return data, outcome


CASES = {
    # happiness: AU6, AU12 at 1 x .8; timing min 200 + 300 + 300 = 800, 200 spare -> apex 500
    "a smile": _case(
        {"happiness": 1.0},
        0.8,
        "arkit",
        1000,
        {"AU6": 0.8, "AU12": 0.8},
        _sides(0.8, "cheekSquint", "mouthSmile"),
        200,
        500,
        300,
    ),
    # surprise: AU1, AU2, AU5, AU26 at .5; min 50 + 100 + 200 = 350, 1150 spare:
    # apex + 900 (to its 1000), offset + 250 (of 400), onset stays 50
    "a long surprise on the generic rig": _case(
        {"surprise": 1.0},
        0.5,
        "generic",
        1500,
        {"AU1": 0.5, "AU2": 0.5, "AU5": 0.5, "AU26": 0.5},
        {"brow_inner_raise": 0.5, "brow_outer_raise": 0.5, "lid_raise": 0.5, "jaw_drop": 0.5},
        50,
        1000,
        450,
    ),
    # sadness: AU1, AU4, AU15 at .6; min 400 + 500 + 500 = 1400 = the duration
    "sadness at its shortest": _case(
        {"sadness": 1.0},
        0.6,
        "arkit",
        1400,
        {"AU1": 0.6, "AU4": 0.6, "AU15": 0.6},
        {"browInnerUp": 0.6, **_sides(0.6, "browDown", "mouthFrown")},
        400,
        500,
        500,
    ),
    # happiness .7 x 1 on AU6, AU12; surprise .3 x 1 on AU1, AU2, AU5, AU26; happiness leads:
    # 800 min, 100 spare -> apex 400
    "happily surprised": _case(
        {"happiness": 0.7, "surprise": 0.3},
        1.0,
        "arkit",
        900,
        {"AU6": 0.7, "AU12": 0.7, "AU1": 0.3, "AU2": 0.3, "AU5": 0.3, "AU26": 0.3},
        {
            **_sides(0.7, "cheekSquint", "mouthSmile"),
            "browInnerUp": 0.3,
            **_sides(0.3, "browOuterUp", "eyeWide"),
            "jawOpen": 0.3,
        },
        200,
        400,
        300,
    ),
    # fear .6 x .5 = .3 on its seven units; surprise .4 x .5 = .2 on AU1, AU2, AU5, AU26, all
    # of which fear shows at .3 (the larger); fear leads: 100 + 200 + 300 = 600, apex + 100
    "fearful surprise, generic": _case(
        {"fear": 0.6, "surprise": 0.4},
        0.5,
        "generic",
        700,
        {u: 0.3 for u in ("AU1", "AU2", "AU4", "AU5", "AU7", "AU20", "AU26")},
        {
            s: 0.3
            for s in (
                "brow_inner_raise",
                "brow_outer_raise",
                "brow_lower",
                "lid_raise",
                "lid_tighten",
                "lip_stretch",
                "jaw_drop",
            )
        },
        100,
        300,
        300,
    ),
    # anger .5 and disgust .5 tie: anger, named first, leads (150 + 300 + 300 = 750, apex + 50);
    # every unit at .5 x .8 = .4
    "anger and disgust tied": _case(
        {"anger": 0.5, "disgust": 0.5},
        0.8,
        "arkit",
        800,
        {u: 0.4 for u in ("AU4", "AU5", "AU7", "AU23", "AU9", "AU15", "AU16")},
        _sides(
            0.4,
            "browDown",
            "eyeWide",
            "eyeSquint",
            "mouthPress",
            "noseSneer",
            "mouthFrown",
            "mouthLowerDown",
        ),
        150,
        350,
        300,
    ),
    # sadness .75 x .4 = .3 on AU1, AU4, AU15; anger .25 x .4 = .1 on AU4, AU5, AU7, AU23;
    # AU4 takes the larger .3; sadness leads: 1400 min, 600 spare -> apex 1100
    "sadness tinged with anger": _case(
        {"sadness": 0.75, "anger": 0.25},
        0.4,
        "generic",
        2000,
        {"AU1": 0.3, "AU4": 0.3, "AU15": 0.3, "AU5": 0.1, "AU7": 0.1, "AU23": 0.1},
        {
            "brow_inner_raise": 0.3,
            "brow_lower": 0.3,
            "lip_corner_depress": 0.3,
            "lid_raise": 0.1,
            "lid_tighten": 0.1,
            "lip_tighten": 0.1,
        },
        400,
        1100,
        500,
    ),
    # disgust: AU9, AU15, AU16 at .2; 800 min, 1700 spare all to the apex (room 2200) -> 2000
    "a faint, long disgust": _case(
        {"disgust": 1.0},
        0.2,
        "arkit",
        2500,
        {"AU9": 0.2, "AU15": 0.2, "AU16": 0.2},
        _sides(0.2, "noseSneer", "mouthFrown", "mouthLowerDown"),
        200,
        2000,
        300,
    ),
    # happiness .7 x .33 = .231 -> .23 (2 decimals); surprise .3 x .33 = .099 -> .1;
    # happiness leads: 800 is its shortest
    "a faint happy surprise": _case(
        {"happiness": 0.7, "surprise": 0.3},
        0.33,
        "arkit",
        800,
        {"AU6": 0.23, "AU12": 0.23, "AU1": 0.1, "AU2": 0.1, "AU5": 0.1, "AU26": 0.1},
        {
            **_sides(0.23, "cheekSquint", "mouthSmile"),
            "browInnerUp": 0.1,
            **_sides(0.1, "browOuterUp", "eyeWide"),
            "jawOpen": 0.1,
        },
        200,
        300,
        300,
    ),
}


def _rename(key, old, new):
    def mutate(outcome):
        outcome[key][new] = outcome[key].pop(old)

    return mutate


def _set(key, field, value):
    def mutate(outcome):
        outcome[key][field] = value

    return mutate


def _drop(key, field):
    def mutate(outcome):
        del outcome[key][field]

    return mutate


def _timing(onset, apex, offset):
    def mutate(outcome):
        outcome["timing"] = {"onset_ms": onset, "apex_ms": apex, "offset_ms": offset}

    return mutate


def _generic_smile(outcome):
    outcome["blendshapes"] = {"cheek_raise": 0.8, "lip_corner_pull": 0.8}


WRONG = [
    # AU9 belongs to disgust, not to happiness
    ("a smile", _set("action_units", "AU9", 0.8), "au-prototype"),
    ("a smile", _rename("action_units", "AU6", "AU4"), "au-prototype"),  # a frown's unit
    ("a long surprise on the generic rig", _drop("action_units", "AU26"), "au-prototype"),
    # the blend weight .7 forgotten: 1 x 1
    ("happily surprised", _set("action_units", "AU12", 1.0), "au-intensity"),
    # .3 + .2 added instead of the larger taken
    ("fearful surprise, generic", _set("action_units", "AU1", 0.5), "au-intensity"),
    ("a smile", _generic_smile, "rig-mapping"),  # generic names on the arkit rig
    ("fearful surprise, generic", _drop("blendshapes", "jaw_drop"), "rig-mapping"),
    # brow_lower driven by AU4 .3 (sadness), not anger's .1
    ("sadness tinged with anger", _set("blendshapes", "brow_lower", 0.1), "blendshape-weight"),
    # 400 + 600 + 500 = 1500 != 1400
    ("sadness at its shortest", _set("timing", "apex_ms", 600), "timing-sum"),
    # a slow surprise: onset 400 > 150 (400 + 650 + 450 = 1500)
    ("a long surprise on the generic rig", _timing(400, 650, 450), "timing-range"),
    # no fade: offset 0 < 300 (200 + 2300 + 0 = 2500)
    ("a faint, long disgust", _timing(200, 2300, 0), "timing-range"),
    # too quick an onset for anger, the leader: 100 < 150 (100 + 400 + 300 = 800)
    ("anger and disgust tied", _timing(100, 400, 300), "timing-range"),
]


(
    test_the_cases_name_the_rules_version,
    test_the_hand_worked_outcome_is_accepted_and_the_expert_reaches_it,
    test_a_plausible_wrong_outcome_is_refused_by_its_rule,
) = table_tests("facial", RULES_VERSION, CASES, WRONG)
