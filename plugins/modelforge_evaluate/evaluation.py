"""Evaluate a type's live models on one fresh held-out set; used by the stage and `eval --run`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from modelforge.config import Config
from modelforge.db import Database
from modelforge.errors import StageInterrupted, StageSkipped
from modelforge.events import record_event
from modelforge.modeltype import ModelType
from modelforge.registry import list_models, record_measurement
from modelforge.stats import z_for
from modelforge_evaluate import heldout, local_model, registry_sync, results

LIVE = ("candidate", "incumbent")


def evaluate_type(
    db: Database,
    config: Config,
    model_type: ModelType,
    cycle_id: int | None,
    *,
    only: str | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> dict[str, Any]:
    """Register new trained artifacts, then score each live local model (or only `only`, in
    any status) on the cycle's held-out set, drawn fresh when the cycle has none yet."""
    settings = config.section("evaluate")
    registered = registry_sync.sync_artifacts(db, model_type.name)
    stale = registry_sync.retire_outdated(db, model_type, cycle_id)
    entries = [
        e
        for e in list_models(db, model_type.name)
        if (e.name == only if only else e.status in LIVE)
    ]
    if only and not entries:
        raise StageSkipped(f"no model named '{only}' of type '{model_type.name}' is registered")
    local = [e for e in entries if e.kind == "local" and e.path]
    skipped = {
        e.name: f"{e.kind} models are not run by the local evaluator"
        for e in entries
        if e not in local
    }
    if not local:
        raise StageSkipped(
            f"no trained or registered local model of '{model_type.name}' to evaluate"
        )
    chosen = heldout.existing(db, model_type.name, cycle_id) if cycle_id is not None else None
    chosen = chosen or heldout.draw(db, model_type, settings.per_category, cycle_id)
    items = heldout.problems(db, chosen)
    done = results.evaluated_on(db, chosen.id)
    # progress counts problems answered, every model's, so a long evaluation shows it moving
    total = len(local) * len(items)
    answered = len(items) * sum(entry.name in done for entry in local)
    progress(answered, total)
    for index, entry in enumerate(local):
        if should_stop():
            raise StageInterrupted(f"evaluation stopped after {index} of {len(local)} models")
        if entry.name in done:
            continue
        try:
            model, tokenizer = local_model.load(entry.path)
        except Exception as exc:  # noqa: BLE001 - a broken folder is reported, the others run
            skipped[entry.name] = f"could not load {entry.path}: {type(exc).__name__}: {exc}"
            record_event(
                db,
                "evaluate.load_failed",
                f"{entry.name}: {skipped[entry.name]}",
                level="warning",
                cycle_id=cycle_id,
                stage="evaluate",
            )
            answered += len(items)  # nothing more to answer for it
            progress(answered, total)
            continue
        run = local_model.run(
            model,
            tokenizer,
            model_type,
            items,
            settings,
            progress=lambda n, before=answered: progress(before + n, total),
        )
        answered += len(items)
        results.store(db, chosen.id, cycle_id, model_type.name, entry.name, run)
        record_measurement(
            db,
            entry.name,
            latency_ms=round(run.seconds * 1000 / max(1, len(run.samples)), 2),
            cpu_seconds_per_1k_tokens=round(run.cpu_seconds * 1000 / run.tokens, 4)
            if run.tokens
            else None,
        )  # a model that wrote nothing has no cost per token
        progress(answered, total)
    z = z_for(settings.confidence)
    evaluated = [
        r for r in results.runs(db, model_type=model_type.name) if r.heldout_set_id == chosen.id
    ]
    scores = results.scores_of(db, [r.id for r in evaluated])
    return {
        "heldout_set": chosen.id,
        "per_category": chosen.per_category,
        "problems": len(items),
        "registered": registered,
        "stale": stale,
        "models": [results.summary(r, scores[r.id], z) for r in evaluated],
        "not_evaluated": skipped,
    }
