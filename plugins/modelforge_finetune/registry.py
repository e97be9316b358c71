"""A finished job's model, entered in the core model registry for selection and serving.

A remote model is not a file, so it is not an artifact: the registry entry holds the
provider's model id and price, and the job that made it is its lineage.
"""

from __future__ import annotations

from modelforge.db import Database
from modelforge.registry import register_model
from modelforge_finetune.jobs import FinetuneJob

PROMPTED_PREFIX = "prompted:"


def register(db: Database, job: FinetuneJob) -> None:
    prompted = job.result_model.startswith(PROMPTED_PREFIX)
    register_model(
        db,
        job.result_model,
        "prompted" if prompted else "remote",
        model_type=job.model_type,
        tier="remote",
        provider=job.provider,
        provider_model_id=None if prompted else job.result_model,
        price_per_1k_tokens=job.price_per_1k,
        lineage={
            "source": "finetune_remote",
            "job": job.name,
            "method": job.method,
            "base_model": job.base_model,
            "cycle_id": job.cycle_id,
            "score": job.score,
        },
    )
