"""Claude: fine-tuning through Amazon Bedrock model customization where Bedrock still lists a
customizable Claude model, else prompt optimisation through the Messages API (prompt_optimise).

Bedrock jobs are named after our job and carry it as the client request token; a retried
submit finds the job by name first. Jobs are read by name, never by ARN.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Any

from modelforge.extras import require
from modelforge_finetune import formats
from modelforge_finetune.jobs import FinetuneJob
from modelforge_finetune.providers.base import Adapter, Remote, Unavailable, provider_call
from modelforge_finetune.records import Record

BEDROCK, PROMPT = "bedrock-fine-tuning", "prompt"
STATUS = {
    "InProgress": "running",
    "Stopping": "running",
    "Completed": "succeeded",
    "Failed": "failed",
    "Stopped": "cancelled",
}


def split_s3(uri: str) -> tuple[str, str]:
    bucket, _, prefix = uri.removeprefix("s3://").partition("/")
    return bucket, prefix.strip("/")


class AnthropicAdapter(Adapter):
    name = "anthropic"

    @property
    def conf(self):
        return self.settings.anthropic

    def bedrock_configured(self) -> bool:
        return bool(self.conf.bedrock_role_arn and self.conf.bedrock_bucket)

    @cached_property
    def aws_credentials(self) -> bool:
        if not self.bedrock_configured():  # then boto3 is not needed, nor imported
            return False
        boto3 = require("boto3", "fine-tuning Claude on Bedrock")
        return boto3.session.Session().get_credentials() is not None

    def api_key(self) -> str | None:
        return os.environ.get(self.conf.key_env) or None

    def credentials(self) -> str | None:
        found = []
        if self.aws_credentials:
            found.append("AWS credential chain (Bedrock)")
        if self.api_key():
            found.append(f"${self.conf.key_env} (Messages API)")
        return ", ".join(found) or None

    def _client(self, service: str):
        boto3 = require("boto3", "fine-tuning Claude on Bedrock")
        from botocore.config import Config  # botocore comes with boto3

        retry = self.settings.retry
        config = Config(
            retries={"max_attempts": retry.attempts + 1, "mode": "standard"},
            read_timeout=retry.timeout_s,
        )
        return boto3.session.Session(region_name=self.conf.region).client(service, config=config)

    @cached_property
    def bedrock(self):
        return self._client("bedrock")

    @cached_property
    def customizable(self) -> list[str]:
        """Claude models Bedrock offers for fine-tuning in this account and region."""
        if not self.aws_credentials:
            return []
        with provider_call(self.name, "listing Bedrock customizable models"):
            found = self.bedrock.list_foundation_models(
                byProvider="Anthropic", byCustomizationType="FINE_TUNING"
            )
        return sorted(summary["modelId"] for summary in found.get("modelSummaries", []))

    @cached_property
    def messages(self):
        anthropic = require("anthropic", "prompt optimisation for Claude")
        return anthropic.Anthropic(
            api_key=self.api_key(),
            base_url=self.conf.base_url,
            timeout=self.settings.retry.timeout_s,
            max_retries=self.settings.retry.attempts,  # the SDK backs off on 429 and 5xx
        )

    def capabilities(self) -> dict[str, Any]:
        methods = {}
        if self.customizable:
            methods[BEDROCK] = self.customizable
        if self.api_key():
            methods[PROMPT] = [self.conf.prompt_model]
        fallback = "none" if self.customizable else "prompt optimisation (Messages API)"
        return {
            "bedrock": "configured" if self.bedrock_configured() else "not configured",
            "methods": methods,
            "retirements": {},
            "fallback": fallback,
        }

    def choose(self, stage: str, model: str | None) -> tuple[str, str]:
        wanted = model or self.conf.base_model
        if wanted in self.customizable:
            return BEDROCK, wanted
        if self.api_key():
            return PROMPT, self.conf.prompt_model if wanted == self.conf.base_model else wanted
        raise Unavailable(
            f"anthropic: Bedrock offers no customizable '{wanted}' here and "
            f"${self.conf.key_env} is not set for prompt optimisation"
        )

    def configured(self, stage: str, base_model: str) -> tuple[str, str]:
        return BEDROCK, base_model

    def epochs(self) -> int:
        return self.conf.epoch_count

    def line(self, record: Record, method: str, stage: str) -> formats.Line:
        return formats.bedrock_claude(record)

    def upload(self, job: FinetuneJob, path: Path) -> str:
        bucket, prefix = split_s3(self.conf.bedrock_bucket)
        key = f"{prefix}/{job.name}.jsonl".lstrip("/")
        with provider_call(self.name, "uploading to S3"):
            self._client("s3").upload_file(str(path), bucket, key)
        return f"s3://{bucket}/{key}"

    def _find(self, name: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            return self.bedrock.get_model_customization_job(jobIdentifier=name)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
                return None
            raise

    def submit(self, job: FinetuneJob) -> str:
        with provider_call(self.name, "creating the Bedrock customization job"):
            existing = self._find(job.name)
            if existing:
                return existing["jobArn"]
            bucket, prefix = split_s3(self.conf.bedrock_bucket)
            output = "/".join(part for part in (bucket, prefix, job.name, "output") if part)
            created = self.bedrock.create_model_customization_job(
                jobName=job.name,
                customModelName=f"{job.name}-model",
                roleArn=self.conf.bedrock_role_arn,
                clientRequestToken=job.name,
                baseModelIdentifier=job.base_model,
                customizationType="FINE_TUNING",
                trainingDataConfig={"s3Uri": job.upload_ref},
                outputDataConfig={"s3Uri": f"s3://{output}/"},
                hyperParameters={"epochCount": str(self.conf.epoch_count)},
            )
        return created["jobArn"]

    def poll(self, job: FinetuneJob) -> Remote:
        with provider_call(self.name, f"reading Bedrock job {job.name}"):
            found = self._find(job.name)
        if found is None:
            return Remote("failed", error=f"Bedrock has no customization job named {job.name}")
        status = STATUS.get(found["status"], "running")
        error = found.get("failureMessage") if status == "failed" else None
        model = found.get("outputModelArn") if status == "succeeded" else None
        return Remote(status, model, error, {"provider_status": found["status"]})

    def cancel(self, job: FinetuneJob) -> None:
        with provider_call(self.name, f"stopping Bedrock job {job.name}"):
            self.bedrock.stop_model_customization_job(jobIdentifier=job.name)
