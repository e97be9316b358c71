"""What the finetune plugin lets others read (see modelforge.contracts): its jobs, and each
provider's outcome in a finetune_remote result."""

from __future__ import annotations

from modelforge.contracts import Contract, Table
from modelforge_finetune.jobs import FinetuneJob

PROVIDERS_KEY = "providers"  # {provider: status}

CONTRACT = Contract(
    tables={
        "provider_jobs": Table.of(
            FinetuneJob,
            "provider",
            "model_type",
            "method",
            "status",
            "cycle_id",
            "result_model",
            "error",
        )
    },
    result_keys={"provider_status": PROVIDERS_KEY},
)
