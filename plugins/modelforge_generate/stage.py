"""The `generate` stage: top the type's unserved pool up with fresh examples every cycle."""

from __future__ import annotations

from typing import Any

from modelforge import StageInterrupted, StageSkipped
from modelforge.contracts import published
from modelforge.examples import ExampleStore
from modelforge.plugins import stage_model_type
from modelforge_generate import edge
from modelforge_generate.batch import run_batch
from modelforge_generate.roles import build_roles


def wanted(
    store: ExampleStore, model_type: str, cycle_id: int, per_cycle: int, pool_target: int
) -> int:
    """At least per_cycle fresh examples this cycle, more if the unserved pool is short.

    A cycle resumed after a kill counts what it already stored, so it only makes the rest.
    """
    done = store.generated_in_cycle(model_type, cycle_id)
    return max(per_cycle - done, pool_target - store.unserved_count(model_type), 0)


def run_stage(model_type: str, ctx) -> dict[str, Any]:
    kind = stage_model_type(ctx.plugins, model_type)
    config = ctx.config.section("generate")
    store = ExampleStore(ctx.db)
    n = wanted(store, model_type, ctx.cycle_id, config.per_cycle, config.pool_target)
    if n == 0:
        raise StageSkipped("the unserved pool is full and this cycle's examples are made")
    roles = build_roles(kind, config, {})
    ctx.progress(0, n, force=True)
    report = run_batch(
        ctx.db,
        kind,
        roles,
        config,
        n,
        cycle_id=ctx.cycle_id,
        should_stop=lambda: ctx.stop_requested,
        progress=ctx.progress,
        weakness_table=published(ctx.plugins).table("weaknesses"),
        competence=(
            edge.competence(ctx.plugins, ctx.db, ctx.config, model_type)
            if config.mix == "edge"
            else None
        ),
    )
    ctx.progress(report.accepted, n, force=True)
    summary = {
        **report.as_dict(),
        "roles": roles.describe(),
        "unserved": store.unserved_count(model_type),
    }
    ctx.event("generate.batch", f"{model_type}: {report.accepted}/{n} new examples", **summary)
    if report.stopped:
        raise StageInterrupted(f"stopped after {report.accepted} of {n} examples")
    return summary
