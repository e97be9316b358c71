"""OpenAI fine-tuning (and any server speaking its API: Azure, Bedrock's OpenAI endpoint).

Files API upload, then `fine_tuning.jobs.create` with `method` supervised or reinforcement.
The job carries our name in its metadata and suffix; before creating, the jobs listed with that
metadata are adopted instead, so a retried submit never makes a second job.
"""

from __future__ import annotations

import os
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from modelforge.extras import require
from modelforge_finetune import formats, rewards
from modelforge_finetune.jobs import FinetuneJob
from modelforge_finetune.providers.base import (
    Adapter,
    ProviderError,
    Remote,
    Unavailable,
    provider_call,
)
from modelforge_finetune.records import Record

NAME_KEY = "modelforge_job"
STATUS = {
    "validating_files": "submitted",
    "queued": "submitted",
    "running": "running",
    "succeeded": "succeeded",
    "failed": "failed",
    "cancelled": "cancelled",
}


class OpenAIAdapter(Adapter):
    name = "openai"

    @property
    def conf(self):
        return self.settings.openai

    def credentials(self) -> str | None:
        return f"${self.conf.key_env}" if os.environ.get(self.conf.key_env) else None

    @cached_property
    def client(self):
        if not self.credentials():
            raise Unavailable(f"openai: no API key in ${self.conf.key_env}")
        openai = require("openai", "fine-tuning on OpenAI")
        return openai.OpenAI(
            api_key=os.environ[self.conf.key_env],
            base_url=self.conf.base_url,
            timeout=self.settings.retry.timeout_s,
            max_retries=self.settings.retry.attempts,  # the SDK backs off on 429 and 5xx
        )

    def closed(self) -> bool:
        until = self.conf.new_jobs_until
        return until is not None and date.today().isoformat() >= until

    def listed_models(self) -> set[str]:
        with provider_call(self.name, "listing models"):
            return {model.id for model in self.client.models.list()}

    def capabilities(self) -> dict[str, Any]:
        listed = self.listed_models()
        methods = {
            method: sorted(set(models) & listed) for method, models in self.conf.methods.items()
        }
        return {
            "base_url": self.conf.base_url or "https://api.openai.com/v1",
            "methods": {method: models for method, models in methods.items() if models},
            "retirements": {"new fine-tuning jobs": self.conf.new_jobs_until},
            "closed": self.closed(),
            "fallback": "supervised on SRL step instances where reinforcement is not offered",
        }

    def choose(self, stage: str, model: str | None) -> tuple[str, str]:
        base_model = model or self.conf.base_model
        if self.closed():
            raise Unavailable(f"openai: new fine-tuning jobs closed on {self.conf.new_jobs_until}")
        if base_model not in self.listed_models():
            raise Unavailable(f"openai: base model '{base_model}' is not offered to this account")
        return self.configured(stage, base_model)

    def configured(self, stage: str, base_model: str) -> tuple[str, str]:
        """The method the configured table gives, asking the provider nothing."""
        if stage != "sft" and base_model in self.conf.methods.get("reinforcement", []):
            return "reinforcement", base_model
        if base_model in self.conf.methods.get("supervised", []):
            return "supervised", base_model
        raise Unavailable(
            f"openai: '{base_model}' cannot be fine-tuned ([finetune.openai] methods)"
        )

    def epochs(self) -> int:
        return self.conf.n_epochs

    def line(self, record: Record, method: str, stage: str) -> formats.Line:
        if method == "reinforcement":
            return formats.openai_reinforcement(record, formats.REFERENCE_FIELD[stage])
        return formats.openai_supervised(record)

    def upload(self, job: FinetuneJob, path: Path) -> str:
        with provider_call(self.name, "uploading the training file"), path.open("rb") as handle:
            uploaded = self.client.files.create(file=(path.name, handle), purpose="fine-tune")
        return uploaded.id

    def _method(self, job: FinetuneJob) -> dict[str, Any]:
        hyper = {"n_epochs": self.conf.n_epochs}
        if job.method == "supervised":
            return {"type": "supervised", "supervised": {"hyperparameters": hyper}}
        if job.stage == "srl":
            grader = {
                "type": "text_similarity",
                "name": "srl_step_similarity",
                "evaluation_metric": "fuzzy_match",
                "input": "{{sample.output_text}}",
                "reference": "{{item.expert_step}}",
            }
        else:
            grader = {"type": "python", "name": "outcome", "source": rewards.OPENAI_OUTCOME}
        return {
            "type": "reinforcement",
            "reinforcement": {"grader": grader, "hyperparameters": hyper},
        }

    def _existing(self, job: FinetuneJob) -> str | None:
        with provider_call(self.name, "looking for an earlier submit"):
            for found in self.client.fine_tuning.jobs.list(metadata={NAME_KEY: job.name}):
                if (found.metadata or {}).get(NAME_KEY) == job.name:
                    return found.id
        return None

    def submit(self, job: FinetuneJob) -> str:
        existing = self._existing(job)
        if existing:
            return existing
        with provider_call(self.name, "creating the fine-tuning job"):
            created = self.client.fine_tuning.jobs.create(
                model=job.base_model,
                training_file=job.upload_ref,
                method=self._method(job),
                suffix=job.name[-64:],
                metadata={NAME_KEY: job.name, "model_type": job.model_type},
            )
        return created.id

    def poll(self, job: FinetuneJob) -> Remote:
        with provider_call(self.name, f"reading job {job.provider_job_id}"):
            found = self.client.fine_tuning.jobs.retrieve(job.provider_job_id)
        if found.status not in STATUS:
            raise ProviderError(f"openai: job {found.id} has an unknown status {found.status!r}")
        error = f"{found.error.code}: {found.error.message}" if found.error else None
        detail = {"trained_tokens": found.trained_tokens, "provider_status": found.status}
        return Remote(STATUS[found.status], found.fine_tuned_model, error, detail)

    def cancel(self, job: FinetuneJob) -> None:
        with provider_call(self.name, f"cancelling job {job.provider_job_id}"):
            self.client.fine_tuning.jobs.cancel(job.provider_job_id)
