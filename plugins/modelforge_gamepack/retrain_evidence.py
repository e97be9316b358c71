"""The checklist's `trained` item, as far as rules go: a type whose rules changed counts as
trained again only once a cycle has run train_srl and train_rlvr since the change."""

from __future__ import annotations

from sqlmodel import col, select

from modelforge.models import Cycle, StageRun
from modelforge_gamepack.rules_watch import CHANGED, history


def _retrained_since(db, model_type: str, since) -> bool:
    with db.session() as session:
        runs = session.exec(
            select(StageRun)
            .join(Cycle, Cycle.id == StageRun.cycle_id)
            .where(
                Cycle.model_type == model_type,
                col(StageRun.stage).in_(("train_srl", "train_rlvr")),
                StageRun.status == "done",
                StageRun.started_at >= since,
            )
        ).all()
    stages_by_cycle: dict[int, set[str]] = {}
    for run in runs:
        stages_by_cycle.setdefault(run.cycle_id, set()).add(run.stage)
    return any(stages == {"train_srl", "train_rlvr"} for stages in stages_by_cycle.values())


def awaiting_retraining(db, types: list[str]) -> tuple[str, str] | None:
    """("not done", why) while an enabled type awaits retraining after new rules, else None
    (the core and other plugins then judge the item)."""
    waiting = []
    for model_type in types:
        changes = [seen for seen in history(db, model_type) if seen.kind == CHANGED]
        if changes and not _retrained_since(db, model_type, changes[-1].ts):
            waiting.append(f"{model_type} (rules {changes[-1].version})")
    if not waiting:
        return None
    return (
        "not done",
        "rules changed and no cycle has run train_srl and train_rlvr since for: "
        + ", ".join(waiting),
    )
