"""The three stage hooks' bodies: evaluate, track (see track_stage) and select."""

from __future__ import annotations

from typing import Any

from modelforge.errors import StageSkipped
from modelforge.plugins import model_types
from modelforge_evaluate import choice, promotion, registry_sync, testset, webhooks
from modelforge_evaluate.contract import DECISIONS_KEY
from modelforge_evaluate.evaluation import evaluate_type
from modelforge_evaluate.responsibilities import configured


def categories_of(plugins) -> dict[str, list[str]]:
    return {name: [c.name for c in t.categories] for name, t in model_types(plugins).items()}


def evaluate(model_type: str, ctx) -> dict[str, Any]:
    found = model_types(ctx.plugins).get(model_type)
    if found is None:
        raise StageSkipped(f"no plugin supplies the model type '{model_type}'")
    registry_sync.sync_artifacts(ctx.db, model_type)
    points = testset.score_cycle(
        ctx.db, ctx.config, found, ctx.cycle_id, lambda: ctx.stop_requested
    )
    try:
        summary = evaluate_type(
            ctx.db,
            ctx.config,
            found,
            ctx.cycle_id,
            should_stop=lambda: ctx.stop_requested,
            progress=ctx.progress,
        )
    except StageSkipped as skipped:
        if not points:
            raise
        return {"test": points, "not_evaluated": str(skipped)}  # the curve still has its point
    summary["test"] = points
    summary["webhooks"] = webhooks.dispatch(ctx.db, ctx.config.section("webhooks"), ctx.cycle_id)
    return summary


def select(model_type: str, ctx) -> dict[str, Any]:
    """Decide every responsibility of this type, promote where the rule allows, store it all."""
    mine = [name for name, resp in configured(ctx.config).items() if resp.model_type == model_type]
    if not mine:
        raise StageSkipped(f"no responsibility is served by '{model_type}'")
    settings = ctx.config.section("select")
    decisions = []
    for name in mine:
        answer = choice.all_answers(ctx.db, ctx.config, categories_of(ctx.plugins), only=name)[0]
        outcome = promotion.apply(ctx.db, answer, ctx.cycle_id, settings.promotion_cycles)
        answer["model"] = outcome["model"]
        decisions.append({**answer, "promotion": outcome})
    delivered = webhooks.dispatch(ctx.db, ctx.config.section("webhooks"), ctx.cycle_id)
    return {DECISIONS_KEY: decisions, "webhooks": delivered}
