"""The `finetune_remote` lifecycle stage: one job per provider with credentials, per cycle.

The job's name derives from the cycle, so a resumed cycle finds its jobs and polls them
instead of submitting again. Jobs started from the command line for the same type are polled
along the way, so the daemon watches those too.
"""

from __future__ import annotations

from typing import Any

from modelforge.errors import StageSkipped
from modelforge.extras import MissingExtra
from modelforge.plugins import stage_model_type
from modelforge_finetune import jobs, polling, pricing, runner
from modelforge_finetune.contract import PROVIDERS_KEY
from modelforge_finetune.providers.base import ProviderError, Unavailable


def run(model_type: str, ctx) -> dict[str, Any]:
    settings = ctx.config.section("finetune")
    kind = stage_model_type(ctx.plugins, model_type)
    adapters = {name: runner.adapter(name, settings) for name in settings.providers}
    ready = {name: a for name, a in adapters.items() if a.credentials()}
    if not ready:
        raise StageSkipped("no provider credentials in the environment")

    providers: dict[str, str] = {}
    watched = []
    for name, adapter in ready.items():
        job = jobs.named(ctx.db, jobs.new_name(name, model_type, settings.stage, ctx.cycle_id))
        try:
            if job is None:
                prepared = runner.prepare(ctx.db, settings, adapter, kind, settings.stage, None)
                pricing.check_budget(settings, prepared.estimate, f"{name} {prepared.method}")
                job = runner.start(
                    ctx.db, settings, adapter, kind, settings.stage, prepared, ctx.cycle_id
                )
            if not job.finished:
                job = runner.push(ctx.db, settings, adapter, kind, job, ctx.work_dir)
        except pricing.OverBudget as why:
            providers[name] = "refused"
            ctx.event("finetune.refused", str(why), level="warning", provider=name)
            continue
        except (Unavailable, MissingExtra, runner.NoData) as why:
            providers[name] = "unavailable"
            ctx.event("finetune.unavailable", str(why), provider=name)
            continue
        except ProviderError as why:
            if job is not None:
                job = jobs.update(ctx.db, job.id, status="failed", error=str(why))
            providers[name] = "failed"
            ctx.event("finetune.failed", str(why), level="error", provider=name)
            continue
        watched.append((adapter, job))
    if not watched:
        raise StageSkipped("; ".join(f"{name}: {state}" for name, state in providers.items()))

    refresh_others(ctx, model_type, adapters, ready)
    finished = polling.wait(ctx.db, settings.poll, watched, lambda: ctx.stop_requested)
    for job in finished:
        providers[job.provider] = job.status
    return {
        PROVIDERS_KEY: providers,
        "jobs": [
            {"name": job.name, "status": job.status, "model": job.result_model, "error": job.error}
            for job in finished
        ],
    }


def refresh_others(ctx, model_type: str, adapters: dict, ready: dict) -> None:
    """Poll once the type's unfinished jobs from other cycles or the command line."""
    for job in jobs.listing(ctx.db, unfinished=True):
        if (
            job.model_type != model_type
            or job.cycle_id == ctx.cycle_id
            or job.provider not in ready
        ):
            continue
        try:
            runner.refresh(ctx.db, adapters[job.provider], job)
        except ProviderError as why:
            ctx.event("finetune.poll_failed", str(why), level="warning", provider=job.provider)
