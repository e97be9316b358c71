"""Gemini tuning on Vertex AI through google-genai (`client.tunings.tune`).

SRL becomes reinforcement tuning with a code reward (the step similarity, run by Vertex on each
sampled answer); RLVR becomes reinforcement tuning with an exact match on the canonical outcome;
supervised tuning is the fallback. Data goes to Cloud Storage first (see gcs.py). The job
carries our name as a label and is adopted, not created again, when a submit is retried.
"""

from __future__ import annotations

import os
import warnings
from functools import cached_property
from pathlib import Path
from typing import Any

from modelforge.extras import require
from modelforge_finetune import formats, gcs, rewards
from modelforge_finetune.jobs import FinetuneJob
from modelforge_finetune.providers.base import Adapter, Remote, Unavailable, provider_call
from modelforge_finetune.records import OUTCOME_PREFIX, Record

LABEL = "modelforge-job"
SCOPES = ["https://www.googleapis.com/auth/cloud-platform"]
RETRY_STATUSES = [408, 429, 500, 502, 503, 504]
ADC_FILE = Path("~/.config/gcloud/application_default_credentials.json")
SUPERVISED, REINFORCEMENT = "SUPERVISED_FINE_TUNING", "REINFORCEMENT_TUNING"
STATUS = {
    "JOB_STATE_QUEUED": "submitted",
    "JOB_STATE_PENDING": "submitted",
    "JOB_STATE_RUNNING": "running",
    "JOB_STATE_UPDATING": "running",
    "JOB_STATE_PAUSED": "running",
    "JOB_STATE_CANCELLING": "running",
    "JOB_STATE_SUCCEEDED": "succeeded",
    "JOB_STATE_PARTIALLY_SUCCEEDED": "succeeded",
    "JOB_STATE_FAILED": "failed",
    "JOB_STATE_EXPIRED": "failed",
    "JOB_STATE_CANCELLED": "cancelled",
}


class GeminiAdapter(Adapter):
    name = "gemini"

    @property
    def conf(self):
        return self.settings.gemini

    def credentials(self) -> str | None:
        project = os.environ.get(self.conf.project_env)
        if not project:
            return None
        if os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
            return f"ADC ($GOOGLE_APPLICATION_CREDENTIALS), project ${self.conf.project_env}"
        if ADC_FILE.expanduser().exists():
            return f"ADC (gcloud user credentials), project ${self.conf.project_env}"
        return None

    @cached_property
    def auth(self):
        if not self.credentials():
            raise Unavailable(
                f"gemini: no project in ${self.conf.project_env} or no Application Default "
                "Credentials"
            )
        require("google.genai", "tuning Gemini")
        import google.auth  # google-auth comes with google-genai

        with provider_call(self.name, "loading Application Default Credentials"):
            credentials, _ = google.auth.default(scopes=SCOPES)
        return credentials

    @cached_property
    def client(self):
        genai = require("google.genai", "tuning Gemini")
        from google.genai import types

        options = types.HttpOptions(
            base_url=self.conf.base_url,
            timeout=int(self.settings.retry.timeout_s * 1000),
            retry_options=types.HttpRetryOptions(
                attempts=self.settings.retry.attempts + 1, http_status_codes=RETRY_STATUSES
            ),
        )
        return genai.Client(
            vertexai=True,
            project=os.environ[self.conf.project_env],
            location=self.conf.location,
            credentials=self.auth,
            http_options=options,
        )

    def capabilities(self) -> dict[str, Any]:
        # Vertex lists no tunable models per method: the configured table says, and listing
        # the account's tuning jobs proves access.
        with provider_call(self.name, "listing tuning jobs"):
            next(iter(self.client.tunings.list(config={"page_size": 1})), None)
        return {
            "base_url": self.conf.base_url
            or f"https://{self.conf.location}-aiplatform.googleapis.com",
            "methods": {method: models for method, models in self.conf.methods.items() if models},
            "retirements": {},
            "upload_to": self.conf.bucket or "not set ([finetune.gemini] bucket)",
            "fallback": "supervised tuning where reinforcement tuning is not offered",
        }

    def choose(self, stage: str, model: str | None) -> tuple[str, str]:
        base_model = model or self.conf.base_model
        if not self.conf.bucket:
            raise Unavailable("gemini: no Cloud Storage bucket set ([finetune.gemini] bucket)")
        return self.configured(stage, base_model)

    def configured(self, stage: str, base_model: str) -> tuple[str, str]:
        """The method the configured table gives, asking the provider nothing."""
        if stage != "sft" and base_model in self.conf.methods.get("reinforcement", []):
            return REINFORCEMENT, base_model
        if base_model in self.conf.methods.get("supervised", []):
            return SUPERVISED, base_model
        raise Unavailable(f"gemini: '{base_model}' cannot be tuned ([finetune.gemini] methods)")

    def epochs(self) -> int:
        return self.conf.epoch_count

    def line(self, record: Record, method: str, stage: str) -> formats.Line:
        if method == REINFORCEMENT:
            return formats.gemini_reinforcement(record, formats.REFERENCE_FIELD[stage])
        return formats.gemini_supervised(record)

    def upload(self, job: FinetuneJob, path: Path) -> str:
        from google.auth.transport.requests import Request

        if not self.auth.valid:
            with provider_call(self.name, "refreshing credentials"):
                self.auth.refresh(Request())
        uri = f"{self.conf.bucket.rstrip('/')}/{job.name}.jsonl"
        retry = self.settings.retry
        return gcs.upload(path, uri, self.auth.token, retry.attempts, retry.timeout_s)

    def _reward(self, job: FinetuneJob) -> dict[str, Any]:
        if job.stage == "srl":
            return {
                "reward_name": "srl_step_similarity",
                "code_execution_reward_scorer": {"python_code_snippet": rewards.GEMINI_SRL},
            }
        return {
            "reward_name": "outcome_exact_match",
            "parse_response_config": {
                "parse_type": "REGEX_EXTRACT",
                "regex_extract_expression": f"{OUTCOME_PREFIX}(.*)$",
            },
            "string_match_reward_scorer": {
                "correct_answer_reward": 1.0,
                "wrong_answer_reward": 0.0,
                "string_match_expression": {
                    "match_operation": "EXACT_MATCH",
                    "expression": "{{references.outcome}}",
                },
            },
        }

    def _existing(self, job: FinetuneJob) -> str | None:
        config = {"filter": f'labels.{LABEL}="{job.name}"'}
        with provider_call(self.name, "looking for an earlier submit"):
            for found in self.client.tunings.list(config=config):
                if (getattr(found, "labels", None) or {}).get(LABEL) == job.name:
                    return found.name
        return None

    def submit(self, job: FinetuneJob) -> str:
        existing = self._existing(job)
        if existing:
            return existing
        config: dict[str, Any] = {
            "method": job.method,
            "tuned_model_display_name": job.name,
            "labels": {LABEL: job.name},
            "epoch_count": self.conf.epoch_count,
        }
        if job.method == REINFORCEMENT:
            config["reward_config"] = self._reward(job)
        from google.genai.errors import ExperimentalWarning

        with provider_call(self.name, "creating the tuning job"), warnings.catch_warnings():
            warnings.simplefilter("ignore", ExperimentalWarning)  # we pin the SDK's behaviour
            created = self.client.tunings.tune(
                base_model=job.base_model,
                training_dataset={"gcs_uri": job.upload_ref},
                config=config,
            )
        return created.name

    def poll(self, job: FinetuneJob) -> Remote:
        with provider_call(self.name, f"reading job {job.provider_job_id}"):
            found = self.client.tunings.get(name=job.provider_job_id)
        state = found.state.value if found.state else "JOB_STATE_UNSPECIFIED"
        status = STATUS.get(state, "running")
        model = found.tuned_model.endpoint or found.tuned_model.model if found.tuned_model else None
        error = f"{found.error.code}: {found.error.message}" if found.error else None
        return Remote(status, model, error, {"provider_status": state})

    def cancel(self, job: FinetuneJob) -> None:
        with provider_call(self.name, f"cancelling job {job.provider_job_id}"):
            self.client.tunings.cancel(name=job.provider_job_id)
