"""Running the training stages from `modelforge train` through the lifecycle runner: the type's
unfinished cycle is resumed (its examples and checkpoints with it), else a cycle of their own is
opened (for RLVR alone, the newest cycle with an SRL result is continued), recorded like the
daemon's."""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any

from sqlmodel import col, select

from modelforge.lifecycle import LifecycleRunner
from modelforge.models import Artifact, StageRun
from modelforge_train import ranks
from modelforge_train.artifacts import SRL_KIND

TRIGGER = "train"


def with_overrides(
    config, base: str | None, max_steps: int | None, from_artifact: int | None = None
):
    """The config with --base, --max-steps and --from applied to [train]."""
    train = config.section("train")
    update: dict[str, Any] = {}
    if from_artifact is not None:
        update["from_artifact"] = from_artifact
    if base:
        update["base"] = base
    if max_steps is not None:
        update["srl"] = train.srl.model_copy(update={"max_steps": max_steps})
        update["rlvr"] = train.rlvr.model_copy(update={"max_steps": max_steps})
    return replace(config, sections={**config.sections, "train": train.model_copy(update=update)})


def newest_srl_cycle(db, model_type: str) -> int | None:
    """The newest cycle of the type with an SRL result: where RLVR alone continues."""
    with db.session() as session:
        return session.exec(
            select(Artifact.cycle_id)
            .where(Artifact.model_type == model_type, Artifact.kind == SRL_KIND)
            .order_by(col(Artifact.id).desc())
        ).first()


def run_stages(
    app,
    model_type: str,
    stages: tuple[str, ...],
    *,
    base=None,
    max_steps=None,
    from_artifact=None,
    stop_event: threading.Event | None = None,
):
    """Run `stages` of model_type's cycle; the caller holds the data-directory lock. Under a
    launcher with several processes only the main one runs the lifecycle; the others train
    the stages it hands them and return None (the main one reports)."""
    config = with_overrides(app.config, base, max_steps, from_artifact)
    if ranks.several():
        try:
            if not ranks.is_main():
                return follow(config, app.plugins, stop_event or threading.Event())
            try:
                return run_cycle_stages(app, config, model_type, stages, stop_event)
            finally:
                ranks.share(ranks.DONE)  # the others wait for the next stage or this
        finally:
            ranks.close()
    return run_cycle_stages(app, config, model_type, stages, stop_event)


def follow(config, plugins, stop_event: threading.Event) -> None:
    """A non-main process: train each stage the main one hands out, until it is done."""
    from modelforge_train.stage_run import follow_stage

    settings = config.section("train")
    while (plan := ranks.share()) is not ranks.DONE:
        follow_stage(settings, plugins, plan, stop_event.is_set)


def run_cycle_stages(app, config, model_type, stages, stop_event):
    runner = LifecycleRunner(app.db, config, app.plugins, stop_event)
    runner.recover()  # the lock is ours: a cycle left `running` was killed
    cycle_id = None
    if stages == ("train_rlvr",) and runner.cycle_to_resume(model_type, stages) is None:
        cycle_id = newest_srl_cycle(app.db, model_type)
    cycle = runner.run_cycle(model_type, TRIGGER, stages, cycle_id=cycle_id)
    results = []
    with app.db.session() as session:
        for stage in stages:
            run = session.exec(
                select(StageRun)
                .where(StageRun.cycle_id == cycle.id, StageRun.stage == stage)
                .order_by(col(StageRun.id).desc())
            ).first()
            if run is None:  # an earlier stage stopped the cycle
                break
            results.append(
                {
                    "stage": stage,
                    "cycle_id": cycle.id,
                    "status": run.status,
                    "detail": run.detail,
                    "error": run.error,
                    "result": run.result,
                }
            )
    if not results and cycle.status != "done":  # stopped before its first stage
        results.append(
            {
                "stage": stages[0],
                "cycle_id": cycle.id,
                "status": "interrupted",
                "detail": None,
                "error": "stopped before it started",
                "result": None,
            }
        )
    return results
