"""`plant` assembled as a model type from its rules, procedure and verifier."""

from __future__ import annotations

from modelforge_gamepack.kit.staged import StagedType
from modelforge_gamepack.plant import procedure, verify


class Plant(StagedType):
    """A species fit for biome, terrain and season; its L-system; its look in the season."""

    name = "plant"
    version = "1.0.0"
    package = "modelforge_gamepack.plant"
    stages = (
        ("species", ("species",)),
        ("lsystem", ("lsystem", "segments")),
        ("season", ("season",)),
    )
    step_hint = (
        'species: {"species": NAME}; lsystem: {"lsystem": {"axiom", "rules": {SYMBOL: '
        'REPLACEMENT}, "angle": degrees, "iterations": N}, "segments": number of F after '
        'expansion}; season: {"season": {"foliage": LOOK, "flowers": bool, "fruit": bool}}.'
    )
    procedure = procedure
    verify = verify
