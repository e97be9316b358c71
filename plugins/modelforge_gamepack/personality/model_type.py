"""`personality` assembled as a model type from its rules, procedure and verifier."""

from __future__ import annotations

from modelforge_gamepack.kit.staged import StagedType
from modelforge_gamepack.personality import procedure, verify


class Personality(StagedType):
    """An NPC's reaction to an event: appraisal, bounded emotion update, action, dialogue."""

    name = "personality"
    version = "1.0.0"
    package = "modelforge_gamepack.personality"
    stages = (
        ("appraise", ("appraisal",)),
        ("emotions", ("emotions",)),
        ("action", ("action",)),
        ("dialogue", ("intent", "tone")),
    )
    step_hint = (
        'appraise: {"appraisal": {"valence": "negative"|"positive", "threat": "low"|"medium"|'
        '"high"}}; emotions: {"emotions": {EMOTION: value in [0, 1], ...}} for every emotion; '
        'action: {"action": NAME}; dialogue: {"intent": NAME, "tone": NAME}.'
    )
    procedure = procedure
    verify = verify
