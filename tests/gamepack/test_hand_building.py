"""`building`, rules 1.0.0, worked by hand from the rules as stated in rules.toml:

- footprint as requested, area = width x depth; one floor per storey at the style's height
  (medieval 2.6, modern 3.0, japanese 2.7)
- every requested room, a hall and a landing per upper floor, inside the lot, sides >= 2 m and
  areas >= hall 6, landing 4, kitchen 8, shop 12, bedroom 9, bathroom 4, study 7, storage 3;
  hall, kitchen and shop on the ground; each landing exactly above the hall; no overlaps
- doors between rooms sharing >= 1 m of wall, the front door from outside into the hall, every
  room reachable; windows in kitchens, shops, bedrooms and studies, on outer walls only
- lighting: windowed rooms by day; those of the kinds hall, kitchen, bedroom, study by night

The expert lays strips across the full depth: hall (and landings) first, max(2, ceil(6 / depth))
wide, each room max(2, ceil(least area / depth)) wide, the last on a floor taking what is left;
ground-only kinds below, the others dealt to the upper floors in turn by their index in the
(sorted) request; doors along each row.
"""

import pytest

from .handworked import table_tests

RULES_VERSION = "1.0.0"


@pytest.fixture(autouse=True)
def gamepack():
    """Instead of the conftest's: the types come from handworked.TYPES, no plugins per test."""


STYLES = {
    "medieval": (2.6, {"roof": "gabled", "material": "timber-frame", "window_shape": "leaded"}),
    "modern": (3.0, {"roof": "flat", "material": "concrete-glass", "window_shape": "wide"}),
    "japanese": (
        2.7,
        {"roof": "irimoya", "material": "timber-plaster", "window_shape": "shoji"},
    ),
}
LIGHTS = {"medieval": "lanterns", "modern": "led-strips", "japanese": "paper-lanterns"}


def _room(name, kind, floor, x, w, depth, y=0):
    return {"name": name, "kind": kind, "floor": floor, "x": x, "y": y, "w": w, "d": depth}


def _case(style, floors, width, depth, requested, rooms, total, doors, windows, day, night):
    height, facade = STYLES[style]
    data = {
        "style": style,
        "floors": floors,
        "width": width,
        "depth": depth,
        "rooms": requested,
    }
    outcome = {
        "footprint": {"width": width, "depth": depth, "area": width * depth},
        "floors": [{"level": n, "height": height} for n in range(floors)],
        "rooms": rooms,
        "total_area": total,
        "doors": [["outside", "hall"], *doors],
        "windows": windows,
        "facade": dict(facade),
        "lighting": {"day_lit": day, "night_lit": night, "exterior": LIGHTS[style]},
    }
    return data, outcome


CASES = {
    # depth 6: hall 2 wide (6 / 6 = 1 < 2), bedroom 2 (9 / 6 -> 2), kitchen the rest 8 - 4 = 4;
    # areas 12 + 12 + 24 = 48 = 8 x 6
    "a modern cottage": _case(
        "modern",
        1,
        8,
        6,
        ["bedroom", "kitchen"],
        [
            _room("hall", "hall", 0, 0, 2, 6),
            _room("bedroom", "bedroom", 0, 2, 2, 6),
            _room("kitchen", "kitchen", 0, 4, 4, 6),
        ],
        48,
        [["hall", "bedroom"], ["bedroom", "kitchen"]],
        {"bedroom": 1, "kitchen": 1},
        ["bedroom", "kitchen"],
        ["bedroom", "kitchen"],
    ),
    # depth 8: hall, bathroom (4 / 8), kitchen (8 / 8 = 1) all 2 wide; storage 10 - 6 = 4;
    # 16 + 16 + 16 + 32 = 80; only the kitchen needs a window
    "a medieval cottage": _case(
        "medieval",
        1,
        10,
        8,
        ["bathroom", "kitchen", "storage"],
        [
            _room("hall", "hall", 0, 0, 2, 8),
            _room("bathroom", "bathroom", 0, 2, 2, 8),
            _room("kitchen", "kitchen", 0, 4, 2, 8),
            _room("storage", "storage", 0, 6, 4, 8),
        ],
        80,
        [["hall", "bathroom"], ["bathroom", "kitchen"], ["kitchen", "storage"]],
        {"kitchen": 1},
        ["kitchen"],
        ["kitchen"],
    ),
    # bedroom (index 0) goes up, the kitchen stays down; 2 + 7 on each floor;
    # 12 + 42 + 12 + 42 = 108
    "a japanese townhouse": _case(
        "japanese",
        2,
        9,
        6,
        ["bedroom", "kitchen"],
        [
            _room("hall", "hall", 0, 0, 2, 6),
            _room("kitchen", "kitchen", 0, 2, 7, 6),
            _room("landing", "landing", 1, 0, 2, 6),
            _room("bedroom", "bedroom", 1, 2, 7, 6),
        ],
        108,
        [["hall", "kitchen"], ["landing", "bedroom"]],
        {"kitchen": 1, "bedroom": 1},
        ["bedroom", "kitchen"],
        ["bedroom", "kitchen"],
    ),
    # three floors: bathroom (index 0) to floor 1, bedroom (1) to floor 2, kitchen down;
    # two landings, named landing1 and landing2; 14 + 28 on each floor = 126
    "a tall modern townhouse": _case(
        "modern",
        3,
        6,
        7,
        ["bathroom", "bedroom", "kitchen"],
        [
            _room("hall", "hall", 0, 0, 2, 7),
            _room("kitchen", "kitchen", 0, 2, 4, 7),
            _room("landing1", "landing", 1, 0, 2, 7),
            _room("bathroom", "bathroom", 1, 2, 4, 7),
            _room("landing2", "landing", 2, 0, 2, 7),
            _room("bedroom", "bedroom", 2, 2, 4, 7),
        ],
        126,
        [["hall", "kitchen"], ["landing1", "bathroom"], ["landing2", "bedroom"]],
        {"kitchen": 1, "bedroom": 1},
        ["bedroom", "kitchen"],
        ["bedroom", "kitchen"],
    ),
    # kitchen 2 (8 / 6 -> 2), shop the rest 9 - 4 = 5 (30 >= 12); bedroom upstairs 7;
    # 12 + 12 + 30 + 12 + 42 = 108; a shop is sunlit but not lit at night
    "a medieval shophouse": _case(
        "medieval",
        2,
        9,
        6,
        ["bedroom", "kitchen", "shop"],
        [
            _room("hall", "hall", 0, 0, 2, 6),
            _room("kitchen", "kitchen", 0, 2, 2, 6),
            _room("shop", "shop", 0, 4, 5, 6),
            _room("landing", "landing", 1, 0, 2, 6),
            _room("bedroom", "bedroom", 1, 2, 7, 6),
        ],
        108,
        [["hall", "kitchen"], ["kitchen", "shop"], ["landing", "bedroom"]],
        {"kitchen": 1, "shop": 1, "bedroom": 1},
        ["bedroom", "kitchen", "shop"],
        ["bedroom", "kitchen"],
    ),
    # depth 10: every strip 2 wide, the study the rest 12 - 8 = 4; two bedrooms numbered;
    # 4 x 20 + 40 = 120
    "a japanese cottage with two bedrooms": _case(
        "japanese",
        1,
        12,
        10,
        ["bedroom", "bedroom", "kitchen", "study"],
        [
            _room("hall", "hall", 0, 0, 2, 10),
            _room("bedroom1", "bedroom", 0, 2, 2, 10),
            _room("bedroom2", "bedroom", 0, 4, 2, 10),
            _room("kitchen", "kitchen", 0, 6, 2, 10),
            _room("study", "study", 0, 8, 4, 10),
        ],
        120,
        [
            ["hall", "bedroom1"],
            ["bedroom1", "bedroom2"],
            ["bedroom2", "kitchen"],
            ["kitchen", "study"],
        ],
        {"bedroom1": 1, "bedroom2": 1, "kitchen": 1, "study": 1},
        ["bedroom1", "bedroom2", "kitchen", "study"],
        ["bedroom1", "bedroom2", "kitchen", "study"],
    ),
    # not the expert's strips, and still right: a 3 x 3 hall (9 >= 6) in the corner; the kitchen
    # 2 x 4 = 8 m2 (exactly its least area, sides exactly 2) on the back wall (y 2 + 4 = 6),
    # sharing exactly 1 m of wall with the hall (y 2-3); the hall has a window too, and is lit
    # at night
    "a cottage laid out by hand": _case(
        "modern",
        1,
        8,
        6,
        ["kitchen"],
        [
            _room("hall", "hall", 0, 0, 3, 3),
            _room("kitchen", "kitchen", 0, 3, 2, 4, y=2),
        ],
        17,
        [["hall", "kitchen"]],
        {"hall": 1, "kitchen": 2},
        ["hall", "kitchen"],
        ["hall", "kitchen"],
    ),
    # bedroom (index 0) and storage (index 2) both to the one upper floor; depth 9: bedroom 2
    # (9 / 9 = 1), storage the rest 7 - 4 = 3; 18 + 45 + 18 + 18 + 27 = 126
    "a medieval townhouse with a storeroom": _case(
        "medieval",
        2,
        7,
        9,
        ["bedroom", "kitchen", "storage"],
        [
            _room("hall", "hall", 0, 0, 2, 9),
            _room("kitchen", "kitchen", 0, 2, 5, 9),
            _room("landing", "landing", 1, 0, 2, 9),
            _room("bedroom", "bedroom", 1, 2, 2, 9),
            _room("storage", "storage", 1, 4, 3, 9),
        ],
        126,
        [["hall", "kitchen"], ["landing", "bedroom"], ["bedroom", "storage"]],
        {"kitchen": 1, "bedroom": 1},
        ["bedroom", "kitchen"],
        ["bedroom", "kitchen"],
    ),
    # By hand, not strips: a 9 x 2 hall across the front; behind it the kitchen on the left wall,
    # the bedroom on the right, and between them an interior storeroom (x 3-6, y 4-7: no outer
    # wall, so no window: 0) with a study behind it on the back wall only, which has its own
    # door to the outside. Doors written either way round; the hall's and the storeroom's
    # windows are 0, so neither is sunlit. 18 + 24 + 9 + 9 + 24 = 84 of 90 m2.
    "a courtyard plan by hand": _case(
        "modern",
        1,
        9,
        10,
        ["bedroom", "kitchen", "storage", "study"],
        [
            _room("hall", "hall", 0, 0, 9, 2),
            _room("kitchen", "kitchen", 0, 0, 3, 8, y=2),
            _room("storage", "storage", 0, 3, 3, 3, y=4),
            _room("study", "study", 0, 3, 3, 3, y=7),
            _room("bedroom", "bedroom", 0, 6, 3, 8, y=2),
        ],
        84,
        [
            ["kitchen", "hall"],
            ["bedroom", "hall"],
            ["storage", "kitchen"],
            ["outside", "study"],
            ["study", "storage"],
        ],
        {"hall": 0, "kitchen": 1, "storage": 0, "study": 1, "bedroom": 2},
        ["bedroom", "kitchen", "study"],
        ["bedroom", "kitchen", "study"],
    ),
}
NOT_THE_EXPERTS = {"a cottage laid out by hand", "a courtyard plan by hand"}


def _room_named(outcome, name):
    return next(room for room in outcome["rooms"] if room["name"] == name)


def _move(name, **changes):
    def mutate(outcome):
        _room_named(outcome, name).update(changes)

    return mutate


def _set(*path_and_value):
    *path, value = path_and_value

    def mutate(outcome):
        target = outcome
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _door(change, door):
    def mutate(outcome):
        getattr(outcome["doors"], change)(door)

    return mutate


def _rename(old, new):
    def mutate(outcome):
        _room_named(outcome, old)["name"] = new

    return mutate


def _add_room(kind, name, x, w):
    def mutate(outcome):
        outcome["rooms"].append(_room(name, kind, 0, x, w, 6, y=0))

    return mutate


def _drop_room(name):
    def mutate(outcome):
        outcome["rooms"] = [room for room in outcome["rooms"] if room["name"] != name]

    return mutate


def _no_bedroom(outcome):
    outcome["rooms"] = [room for room in outcome["rooms"] if room["kind"] != "bedroom"]
    outcome["total_area"] -= 42
    outcome["doors"].remove(["landing", "bedroom"])


WRONG = [
    ("a modern cottage", _add_room("hall", "hall2", 4, 2), "rooms-required"),  # two halls
    ("a modern cottage", _rename("kitchen", "bedroom"), "room-kind"),  # two rooms named alike
    ("a modern cottage", _door("append", ["bedroom", "attic"]), "door-adjacent"),  # no attic
    ("a modern cottage", _set("windows", "kitchen", -1), "format"),
    # rooms on different floors share no wall
    ("a japanese townhouse", _door("append", ["kitchen", "bedroom"]), "door-adjacent"),
    # three floors need two landings
    ("a tall modern townhouse", _drop_room("landing2"), "rooms-required"),
    ("a modern cottage", _set("total_area", 48.5), "area-total"),
    # 3 x 2.3 = 6.9 < 7 for a study
    ("a courtyard plan by hand", _move("study", d=2.3), "room-min-size"),
    # x 6 + 3.5 = 9.5 > 9
    ("a courtyard plan by hand", _move("bedroom", w=3.5), "room-in-footprint"),
    # the storeroom touches no outer wall
    ("a courtyard plan by hand", _set("windows", "storage", 1), "window-exterior"),
    ("a courtyard plan by hand", _set("windows", "cellar", 1), "window-exterior"),
    # the study's door to the garden is fine; the storeroom has no outer wall for one
    ("a courtyard plan by hand", _door("append", ["storage", "outside"]), "door-adjacent"),
    # kitchen (x 0-3) and bedroom (x 6-9) do not touch
    ("a courtyard plan by hand", _door("append", ["bedroom", "kitchen"]), "door-adjacent"),
    ("a courtyard plan by hand", _door("append", ["hall"]), "format"),
    # the kitchen is still reached through the storeroom, but the bedroom is not
    ("a courtyard plan by hand", _door("remove", ["bedroom", "hall"]), "reachable"),
    ("a courtyard plan by hand", _move("storage", kind="ballroom"), "room-kind"),
    # the kitchen 0.5 m past the back wall (y 2 + 8.5 > 10)
    ("a courtyard plan by hand", _move("kitchen", d=8.5), "room-in-footprint"),
    ("a japanese townhouse", _move("landing", floor=0), "room-floor"),
    # the kitchen is cut off
    ("a modern cottage", _door("remove", ["bedroom", "kitchen"]), "reachable"),
    # hall (x 0-2) and study (x 8-12) do not touch
    ("a japanese cottage with two bedrooms", _door("append", ["hall", "study"]), "door-adjacent"),
    # a front door on the second floor
    ("a tall modern townhouse", _door("append", ["outside", "landing2"]), "door-adjacent"),
    ("a modern cottage", _door("remove", ["outside", "hall"]), "entrance"),
    # the bathroom slid 1 m into the hall
    ("a medieval cottage", _move("bathroom", x=1), "room-overlap"),
    ("a japanese townhouse", _no_bedroom, "rooms-required"),
    ("a japanese townhouse", _move("kitchen", floor=1), "room-floor"),
    ("a medieval cottage", _move("storage", w=1), "room-min-size"),
    # a 2 x 6 hall is 12 m2, but a 2 x 2 bedroom is 4 < 9
    ("a modern cottage", _move("bedroom", d=2), "room-min-size"),
    ("a japanese townhouse", _move("landing", x=1), "stairs"),
    # x 4 + w 9 = 13 > 8
    ("a modern cottage", _move("kitchen", w=9), "room-in-footprint"),
    ("a modern cottage", _set("total_area", 55), "area-total"),
    ("a modern cottage", _set("footprint", "area", 49), "footprint"),
    ("a medieval cottage", _set("floors", 0, "height", 3.0), "floor-height"),
    (
        "a medieval townhouse with a storeroom",
        _set("floors", [{"level": 0, "height": 2.6}]),
        "floor-count",
    ),
    ("a medieval shophouse", _set("windows", {"shop": 1, "bedroom": 1}), "window-required"),
    ("a medieval cottage", _set("facade", "roof", "flat"), "style-facade"),
    # a shop is not lit at night
    (
        "a medieval shophouse",
        _set("lighting", "night_lit", ["bedroom", "kitchen", "shop"]),
        "lighting",
    ),
]


(
    test_the_cases_name_the_rules_version,
    test_the_hand_worked_outcome_is_accepted_and_the_expert_reaches_it,
    test_a_plausible_wrong_outcome_is_refused_by_its_rule,
) = table_tests("building", RULES_VERSION, CASES, WRONG, NOT_THE_EXPERTS)


# The plan geometry the checks stand on, worked by hand: (x, y, w, d) on a floor.
def _r(x, y, w, d, floor=0):
    return {"name": f"{x},{y}", "kind": "storage", "floor": floor, "x": x, "y": y, "w": w, "d": d}


@pytest.mark.parametrize(
    ("a", "b", "wall"),
    [
        (_r(0, 0, 2, 2), _r(2, 0, 2, 2, floor=1), 0.0),  # another floor
        (_r(0, 0, 2, 4), _r(2, 1, 3, 2), 2.0),  # side by side: y 1-3 shared
        (_r(2, 1, 3, 2), _r(0, 0, 2, 4), 2.0),
        (_r(0, 0, 2, 2), _r(2, 2, 2, 2), 0.0),  # corner to corner
        (_r(0, 0, 2, 2), _r(2, 5, 2, 2), 0.0),  # on one line, apart
        (_r(0, 0, 4, 2), _r(1, 2, 2, 3), 2.0),  # one behind the other: x 1-3 shared
        (_r(1, 2, 2, 3), _r(0, 0, 4, 2), 2.0),
        (_r(0, 0, 2, 2), _r(5, 2, 2, 2), 0.0),  # on one line, apart
        (_r(0, 0, 2, 2), _r(2.5, 0, 2, 2), 0.0),  # half a metre apart
        (_r(0, 0, 2, 2), _r(0, 2.5, 2, 2), 0.0),
        (_r(2.5, 0, 2, 2), _r(0, 0, 2, 2), 0.0),
        (_r(0, 2.5, 2, 2), _r(0, 0, 2, 2), 0.0),
    ],
)
def test_the_common_wall_of_two_rooms(a, b, wall):
    from modelforge_gamepack.building.geometry import common_wall

    assert common_wall(a, b) == wall


@pytest.mark.parametrize(
    ("room", "outer"),
    [  # a 10 x 8 footprint
        (_r(0, 3, 2, 2), True),
        (_r(3, 0, 2, 2), True),
        (_r(8, 3, 2, 2), True),  # 8 + 2 = 10
        (_r(3, 6, 2, 2), True),  # 6 + 2 = 8
        (_r(3, 3, 2, 2), False),
        (_r(0.5, 3, 2, 2), False),
        (_r(3, 0.5, 2, 2), False),
        (_r(7.5, 3, 2, 2), False),  # 9.5 < 10
        (_r(3, 5.5, 2, 2), False),  # 7.5 < 8
    ],
)
def test_a_room_touches_an_outer_wall(room, outer):
    from modelforge_gamepack.building.geometry import exterior

    assert exterior(room, 10, 8) is outer


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        (_r(0, 0, 2, 2), _r(1, 1, 2, 2), True),
        (_r(0, 0, 2, 2), _r(2, 0, 2, 2), False),  # a shared wall is no overlap
        (_r(0, 0, 2, 2), _r(0, 1.5, 2, 2), True),  # half a metre deep
        (_r(0, 0, 2, 2), _r(1.5, 0, 2, 2), True),
        (_r(0, 0, 2, 2), _r(1, 1, 2, 2, floor=1), False),
    ],
)
def test_two_rooms_overlap(a, b, overlap):
    from modelforge_gamepack.building.geometry import overlaps

    assert overlaps(a, b) is overlap


def test_rooms_are_reached_through_doors_either_way_round_and_up_the_stairs():
    from modelforge_gamepack.building.geometry import reachable

    doors = [["hall", "outside"], ["kitchen", "hall"], ["cellar", "pantry"]]
    assert reachable([], doors, ["hall", "landing"]) == {"hall", "kitchen", "landing"}
    assert reachable([], [["kitchen", "hall"]], []) == set()  # no way in from outside
