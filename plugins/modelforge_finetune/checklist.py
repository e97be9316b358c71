"""The checklist item "paid fine-tuning working", from the jobs table rather than stage results."""

from __future__ import annotations

from modelforge.db import Database
from modelforge_finetune import jobs
from modelforge_finetune.names import PROVIDERS
from modelforge_finetune.providers.anthropic import PROMPT


def paid_item(db: Database) -> tuple[str, str]:
    done: dict[str, str] = {}
    for job in jobs.succeeded(db):
        how = "prompt optimisation, the plan's fallback" if job.method == PROMPT else job.method
        done[job.provider] = f"{job.provider}: {job.name} ({how}) -> {job.result_model}"
    missing = [name for name in PROVIDERS if name not in done]
    if missing:
        return "not done", f"no succeeded job for: {', '.join(missing)}" + (
            f"; succeeded: {'; '.join(done.values())}" if done else ""
        )
    return "done", "; ".join(done[name] for name in PROVIDERS)
