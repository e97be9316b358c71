"""`sound` assembled as a model type from its rules, procedure and verifier."""

from __future__ import annotations

from modelforge_gamepack.kit.staged import StagedType
from modelforge_gamepack.sound import procedure, verify


class Sound(StagedType):
    """A sound request as synthesis parameters: category, ADSR, band, layers, loop, loudness."""

    name = "sound"
    version = "1.0.0"
    package = "modelforge_gamepack.sound"
    stages = (
        ("category", ("category", "mood")),
        ("envelope", ("envelope",)),
        ("band", ("band",)),
        ("layers", ("layers",)),
        ("mix", ("loop", "lufs")),
    )
    step_hint = (
        'category: {"category": "building"|"animal"|"environment"|"music", "mood": MOOD}; '
        'envelope: {"envelope": {"attack_ms", "decay_ms", "sustain": 0-1, "release_ms"}}; '
        'band: {"band": {"low_hz", "high_hz"}}; layers: {"layers": [LAYER, ...]}; '
        'mix: {"loop": bool, "lufs": loudness}.'
    )
    procedure = procedure
    verify = verify
