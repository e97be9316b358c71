"""`tree` assembled as a model type from its rules, procedure and verifier."""

from __future__ import annotations

from modelforge_gamepack.kit.staged import StagedType
from modelforge_gamepack.tree import procedure, verify


class Tree(StagedType):
    """A tree of a species and age: trunk, branching levels, seasonal canopy, wind sound."""

    name = "tree"
    version = "1.0.0"
    package = "modelforge_gamepack.tree"
    stages = (
        ("trunk", ("trunk",)),
        ("branching", ("branching",)),
        ("foliage", ("foliage",)),
        ("sound", ("sound",)),
    )
    step_hint = (
        'trunk: {"trunk": {"height_m", "diameter_cm", "bark"}}; branching: {"branching": '
        '[{"level": 1.., "angle_deg", "length_ratio", "count"}, ...]}; foliage: {"foliage": '
        '{"colour", "density"}}; sound: {"sound": {"cue", "sway_deg"}}.'
    )
    procedure = procedure
    verify = verify
