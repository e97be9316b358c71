"""Where a cycle's training starts: the type's champion (asked through the `champion` hook),
the artifact `train --from` names, or the base; refused when the champion sits on another base
than the configured one."""

from __future__ import annotations

from typing import Any

from modelforge import champion
from modelforge.errors import ModelforgeError
from modelforge_train.artifacts import RLVR_KIND
from modelforge_train.base_model import BaseModel
from modelforge_train.settings import TrainSettings


def cycle_start(ctx, model_type: str, settings: TrainSettings, base: BaseModel) -> dict | None:
    """The start of the cycle's first training stage as `train_stage` takes it (path, lineage,
    artifact_id), or None for the base; recorded as a `train.start` event."""
    if settings.from_artifact is not None:
        artifact = champion.artifact_by_id(ctx.db, settings.from_artifact)
        if artifact is None or artifact.model_type != model_type:
            raise ModelforgeError(
                f"artifact {settings.from_artifact} is not a registered artifact of '{model_type}'"
                " (`modelforge models list` shows each model's artifact)"
            )
        chosen = champion.Champion(artifact, "--from", f"--from {artifact.id}")
    elif settings.start == "base":
        chosen = champion.Champion(None, "config", '[train] start = "base"')
    else:
        chosen = champion.resolve(ctx.plugins, ctx.db, ctx.config, model_type, RLVR_KIND)
        if chosen.artifact is not None:
            refuse_other_base(chosen.artifact, base)
    start = None if chosen.artifact is None else as_start(chosen.artifact, chosen)
    shown = "the base" if start is None else f"artifact {start['artifact_id']}"
    ctx.event(
        "train.start",
        f"{model_type} trains from {shown} ({chosen.source}: {chosen.why})",
        artifact_id=start and start["artifact_id"],
        source=chosen.source,
        why=chosen.why,
    )
    return start


def as_start(artifact, chosen: champion.Champion) -> dict[str, Any]:
    return {
        "path": artifact.path,
        "lineage": artifact.lineage or {},
        "artifact_id": artifact.id,
        "chain": {"source": chosen.source, "why": chosen.why},  # a start from an earlier cycle
    }


def refuse_other_base(artifact, base: BaseModel) -> None:
    """A champion on another base than the configured one cannot be trained further on it."""
    trained_on = (artifact.lineage or {}).get("base_model") or {}
    if (trained_on.get("name"), trained_on.get("hash")) != (base.name, base.hash):
        raise ModelforgeError(
            f"the champion (artifact {artifact.id}) was trained from base "
            f"{trained_on.get('name')}, not the configured {base.name}: the base changed; "
            'start again with [train] start = "base", or name a start with `train --from`'
        )
