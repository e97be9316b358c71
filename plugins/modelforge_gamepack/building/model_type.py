"""`building` assembled as a model type from its rules, procedure and verifier."""

from __future__ import annotations

from modelforge_gamepack.building import procedure, verify
from modelforge_gamepack.kit.staged import StagedType


class Building(StagedType):
    """A shape-grammar derivation: footprint, floors, rooms, doors, windows, facade, lighting."""

    name = "building"
    version = "1.0.0"
    package = "modelforge_gamepack.building"
    stages = (
        ("footprint", ("footprint",)),
        ("floors", ("floors",)),
        ("rooms", ("rooms", "total_area")),
        ("doors", ("doors",)),
        ("windows", ("windows",)),
        ("facade", ("facade",)),
        ("lighting", ("lighting",)),
    )
    step_hint = (
        'footprint: {"footprint": {"width", "depth", "area"}}; floors: {"floors": [{"level", '
        '"height"}, ...]}; rooms: {"rooms": [{"name", "kind", "floor", "x", "y", "w", "d"}, ...], '
        '"total_area": m2}; doors: {"doors": [[ROOM|"outside", ROOM], ...]}; windows: '
        '{"windows": {ROOM: count}}; facade: {"facade": {"roof", "material", "window_shape"}}; '
        'lighting: {"lighting": {"day_lit": [ROOM], "night_lit": [ROOM], "exterior": LIGHT}}.'
    )
    procedure = procedure
    verify = verify
