"""The `building` verifier: the footprint, floors, room layout, openings, facade and lighting."""

from __future__ import annotations

from collections import Counter

from modelforge_gamepack.building import geometry
from modelforge_gamepack.kit.checks import close, items, mapping, number, require, text

ROOM_KEYS = {"name", "kind", "floor", "x", "y", "w", "d"}


def check_footprint(rules: dict, data: dict, outcome: dict) -> None:
    footprint = mapping(outcome["footprint"], "footprint")
    require(set(footprint) == {"width", "depth", "area"}, "format", "width, depth and area")
    width, depth = number(footprint["width"], "width"), number(footprint["depth"], "depth")
    require(
        (width, depth) == (data["width"], data["depth"]),
        "footprint",
        f"the footprint is {data['width']} x {data['depth']} m, not {width:g} x {depth:g}",
    )
    area = number(footprint["area"], "area")
    require(close(area, width * depth, 0.01), "footprint", f"{width:g} x {depth:g} is not {area:g}")


def check_floors(rules: dict, data: dict, outcome: dict) -> None:
    floors = items(outcome["floors"], "floors")
    levels = [mapping(floor, "a floor").get("level") for floor in floors]
    require(
        levels == list(range(data["floors"])),
        "floor-count",
        f"{data['floors']} floor(s) with levels 0 upward, not {levels}",
    )
    height = rules["styles"][data["style"]]["floor_height_m"]
    for floor in floors:
        value = number(floor.get("height"), "height")
        require(
            close(value, height, 0.01), "floor-height", f"{data['style']} floors are {height} m"
        )


def _rooms(rules: dict, outcome: dict) -> list[dict]:
    rooms = [mapping(room, "a room") for room in items(outcome["rooms"], "rooms")]
    for room in rooms:
        require(set(room) == ROOM_KEYS, "format", f"a room has {sorted(ROOM_KEYS)}")
        for key in ("floor", "x", "y", "w", "d"):
            number(room[key], key)
        require(
            text(room["kind"], "kind") in rules["rooms"]["min_area_m2"],
            "room-kind",
            f"no room kind {room['kind']!r}",
        )
    names = [text(room["name"], "name") for room in rooms]
    require(len(set(names)) == len(names), "room-kind", "two rooms share a name")
    return rooms


def check_rooms(rules: dict, data: dict, outcome: dict) -> None:
    rooms = _rooms(rules, outcome)
    wanted = Counter(data["rooms"]) + Counter({"hall": 1, "landing": data["floors"] - 1})
    short = wanted - Counter(room["kind"] for room in rooms)
    require(not short, "rooms-required", f"missing: {', '.join(sorted(short.elements()))}")
    width, depth, min_side = data["width"], data["depth"], rules["rooms"]["min_side_m"]
    for room in rooms:
        inside = (
            room["floor"] in range(data["floors"])
            and room["x"] >= 0
            and room["y"] >= 0
            and room["x"] + room["w"] <= width + 1e-9
            and room["y"] + room["d"] <= depth + 1e-9
        )
        require(inside, "room-in-footprint", f"{room['name']} lies outside the footprint")
        need = rules["rooms"]["min_area_m2"][room["kind"]]
        require(
            min(room["w"], room["d"]) >= min_side and room["w"] * room["d"] >= need - 1e-9,
            "room-min-size",
            f"{room['name']} needs {need} m2 and sides of {min_side} m",
        )
        if room["kind"] in rules["rooms"]["ground_only"]:
            require(room["floor"] == 0, "room-floor", f"a {room['kind']} is on the ground floor")
        if room["kind"] == "landing":
            require(room["floor"] >= 1, "room-floor", "a landing is upstairs")
    _check_stairs(rooms, data)
    for index, room in enumerate(rooms):
        for other in rooms[index + 1 :]:
            require(
                not geometry.overlaps(room, other),
                "room-overlap",
                f"{room['name']} and {other['name']} overlap on floor {room['floor']}",
            )
    total = number(outcome["total_area"], "total_area")
    real = sum(room["w"] * room["d"] for room in rooms)
    require(
        close(total, real, 0.01), "area-total", f"the rooms add up to {real:g} m2, not {total:g}"
    )


def _check_stairs(rooms: list[dict], data: dict) -> None:
    halls = [room for room in rooms if room["kind"] == "hall"]
    require(len(halls) == 1, "rooms-required", "exactly one hall holds the front door and stairs")
    footprint = [halls[0][key] for key in ("x", "y", "w", "d")]
    for level in range(1, data["floors"]):
        above = [
            room
            for room in rooms
            if room["kind"] == "landing"
            and room["floor"] == level
            and [room[key] for key in ("x", "y", "w", "d")] == footprint
        ]
        require(above, "stairs", f"floor {level} has no landing right above the hall")


def check_doors(rules: dict, data: dict, outcome: dict) -> None:
    rooms = {room["name"]: room for room in outcome["rooms"]}
    doors = [items(door, "a door") for door in items(outcome["doors"], "doors")]
    for door in doors:
        require(len(door) == 2 and door[0] != door[1], "format", "a door is [ROOM, ROOM]")
        unknown = [name for name in door if name != geometry.OUTSIDE and name not in rooms]
        require(not unknown, "door-adjacent", f"a door to {unknown[0] if unknown else ''}, no room")
        if geometry.OUTSIDE in door:
            room = rooms[door[1] if door[0] == geometry.OUTSIDE else door[0]]
            require(
                room["floor"] == 0 and geometry.exterior(room, data["width"], data["depth"]),
                "door-adjacent",
                f"{room['name']} has no outer wall on the ground floor for a front door",
            )
            continue
        a, b = rooms[door[0]], rooms[door[1]]
        require(
            geometry.common_wall(a, b) >= rules["rooms"]["door_min_m"] - 1e-9,
            "door-adjacent",
            f"{a['name']} and {b['name']} share no wall for a door",
        )
    hall = next(name for name, room in rooms.items() if room["kind"] == "hall")
    require(
        any(set(door) == {geometry.OUTSIDE, hall} for door in doors),
        "entrance",
        "the front door opens into the hall",
    )
    reached = geometry.reachable(
        list(rooms.values()), doors, geometry.stairwell(list(rooms.values()))
    )
    cut_off = sorted(set(rooms) - reached)
    require(not cut_off, "reachable", f"no way in to {', '.join(cut_off)}")


def check_windows(rules: dict, data: dict, outcome: dict) -> None:
    rooms = {room["name"]: room for room in outcome["rooms"]}
    windows = mapping(outcome["windows"], "windows")
    for name, count in windows.items():
        require(name in rooms, "window-exterior", f"a window in {name!r}, no room")
        require(number(count, f"windows of {name}") >= 0, "format", "a window count is >= 0")
        require(
            count == 0 or geometry.exterior(rooms[name], data["width"], data["depth"]),
            "window-exterior",
            f"{name} has no exterior wall for a window",
        )
    for name, room in rooms.items():
        require(
            room["kind"] not in rules["rooms"]["needs_window"] or windows.get(name, 0) >= 1,
            "window-required",
            f"{name} ({room['kind']}) needs a window",
        )


def check_facade(rules: dict, data: dict, outcome: dict) -> None:
    facade = rules["styles"][data["style"]]["facade"]
    wrong = [key for key in facade if mapping(outcome["facade"], "facade").get(key) != facade[key]]
    require(
        not wrong and set(outcome["facade"]) == set(facade),
        "style-facade",
        f"a {data['style']} facade is {facade}",
    )


def check_lighting(rules: dict, data: dict, outcome: dict) -> None:
    lighting = mapping(outcome["lighting"], "lighting")
    lit = [name for name, count in outcome["windows"].items() if count > 0]
    kinds = {room["name"]: room["kind"] for room in outcome["rooms"]}
    expected = {
        "day_lit": sorted(lit),
        "night_lit": sorted(name for name in lit if kinds[name] in rules["rooms"]["lit_at_night"]),
        "exterior": rules["styles"][data["style"]]["exterior_light"],
    }
    wrong = sorted(key for key in expected if lighting.get(key) != expected[key])
    require(
        not wrong and set(lighting) == set(expected),
        "lighting",
        f"lighting differs at {', '.join(wrong) or 'its keys'}: {expected}",
    )


CHECKS = {
    "footprint": check_footprint,
    "floors": check_floors,
    "rooms": check_rooms,
    "doors": check_doors,
    "windows": check_windows,
    "facade": check_facade,
    "lighting": check_lighting,
}
