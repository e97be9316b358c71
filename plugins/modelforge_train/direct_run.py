"""Running the training stages from `modelforge train`: a cycle of their own (or, for RLVR
alone, the newest cycle with an SRL result), recorded like the daemon's."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlmodel import col, select

from modelforge.lifecycle import LifecycleRunner
from modelforge.models import Artifact, Cycle, StageRun, utcnow
from modelforge_train.artifacts import SRL_KIND


def with_overrides(config, base: str | None, max_steps: int | None):
    """The config with --base and --max-steps applied to [train]."""
    train = config.section("train")
    update: dict[str, Any] = {}
    if base:
        update["base"] = base
    if max_steps is not None:
        update["srl"] = train.srl.model_copy(update={"max_steps": max_steps})
        update["rlvr"] = train.rlvr.model_copy(update={"max_steps": max_steps})
    return replace(config, sections={**config.sections, "train": train.model_copy(update=update)})


def cycle_for(db, model_type: str, stages: tuple[str, ...]) -> int:
    with db.session() as session:
        if stages == ("train_rlvr",):
            row = session.exec(
                select(Artifact.cycle_id)
                .where(Artifact.model_type == model_type, Artifact.kind == SRL_KIND)
                .order_by(col(Artifact.id).desc())
            ).first()
            if row is not None:
                return row
        cycle = Cycle(model_type=model_type, trigger="train", status="running")
        session.add(cycle)
        session.flush()
        return cycle.id


def run_stages(app, model_type: str, stages: tuple[str, ...], *, base=None, max_steps=None):
    config = with_overrides(app.config, base, max_steps)
    runner = LifecycleRunner(app.db, config, app.plugins)
    cycle_id = cycle_for(app.db, model_type, stages)
    results = []
    for stage in stages:
        status = runner.run_stage(cycle_id, stage, model_type)
        with app.db.session() as session:
            run = session.exec(
                select(StageRun)
                .where(StageRun.cycle_id == cycle_id, StageRun.stage == stage)
                .order_by(col(StageRun.id).desc())
            ).first()
            results.append(
                {
                    "stage": stage,
                    "cycle_id": cycle_id,
                    "status": status,
                    "detail": run.detail,
                    "error": run.error,
                    "result": run.result,
                }
            )
        if status not in ("done", "skipped"):
            break
    with app.db.session() as session:
        cycle = session.get(Cycle, cycle_id)
        if cycle.trigger == "train":
            failed = any(r["status"] not in ("done", "skipped") for r in results)
            cycle.status, cycle.finished_at = ("failed", None) if failed else ("done", utcnow())
    return results
