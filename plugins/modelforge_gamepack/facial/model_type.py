"""`facial` assembled as a model type from its rules, procedure and verifier."""

from __future__ import annotations

from modelforge_gamepack.facial import procedure, verify
from modelforge_gamepack.kit.staged import StagedType


class Facial(StagedType):
    """An emotion or blend as FACS action units, a rig's blendshapes and onset/apex/offset."""

    name = "facial"
    version = "1.0.0"
    package = "modelforge_gamepack.facial"
    stages = (
        ("action_units", ("action_units",)),
        ("blendshapes", ("blendshapes",)),
        ("timing", ("timing",)),
    )
    step_hint = (
        'action_units: {"action_units": {"AU6": intensity 0-1, ...}}; blendshapes: '
        '{"blendshapes": {SHAPE: weight 0-1, ...}} named as the rig names them; timing: '
        '{"timing": {"onset_ms": N, "apex_ms": N, "offset_ms": N}}.'
    )
    procedure = procedure
    verify = verify
