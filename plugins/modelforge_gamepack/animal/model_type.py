"""`animal` assembled as a model type from its rules, procedure and verifier."""

from __future__ import annotations

from modelforge_gamepack.animal import procedure, verify
from modelforge_gamepack.kit.staged import StagedType


class Animal(StagedType):
    """A creature in a scene: activity by pattern and season, locomotion, plan, interactions."""

    name = "animal"
    version = "1.0.0"
    package = "modelforge_gamepack.animal"
    stages = (
        ("activity", ("activity",)),
        ("locomotion", ("locomotion",)),
        ("behaviour", ("plan",)),
        ("interactions", ("interactions",)),
    )
    step_hint = (
        'activity: {"activity": {"pattern": PATTERN, "state": "awake"|"resting"|"hibernating"}}; '
        'locomotion: {"locomotion": WAY}; behaviour: {"plan": [1-3 of rest, hibernate, forage, '
        'hunt, flee, hide, patrol]}; interactions: {"interactions": [{"with": SPECIES, '
        '"relation": "predator"|"prey"|"neutral", "response": "flee"|"hide"|"watch"|"hunt"|'
        '"ignore"}, ...]}.'
    )
    procedure = procedure
    verify = verify
