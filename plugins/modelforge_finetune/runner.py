"""One job from examples to a registered model: format, check, price, upload, submit, poll.

Every step writes the job row before the next starts, so `push` can be called again after a
crash at any point and picks up where the row says: examples are drawn (served once) to the
job's name, the upload is redone only if it never finished, and submit adopts a job the
provider already holds under that name.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from modelforge.artifacts import atomic_path
from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.examples import ExampleStore
from modelforge.examples.models import Example
from modelforge.modeltype import ModelType, Trajectory
from modelforge_finetune import formats, jobs, pricing, prompt_optimise, records, registry
from modelforge_finetune.providers.anthropic import PROMPT, AnthropicAdapter
from modelforge_finetune.providers.base import Adapter
from modelforge_finetune.providers.gemini import GeminiAdapter
from modelforge_finetune.providers.openai import OpenAIAdapter
from modelforge_finetune.settings import FinetuneSettings

ADAPTERS: dict[str, type[Adapter]] = {
    "openai": OpenAIAdapter,
    "gemini": GeminiAdapter,
    "anthropic": AnthropicAdapter,
}


class NoData(ModelforgeError):
    """There are no unserved examples of the type to train on."""


def adapter(provider: str, settings: FinetuneSettings) -> Adapter:
    return ADAPTERS[provider](settings)


@dataclass
class Prepared:
    """The formatted data of a job about to be created, and what it will cost."""

    method: str
    base_model: str
    text: str
    lines: int
    estimate: pricing.Estimate


def unserved(db: Database, model_type: str, count: int) -> list[Example]:
    """The examples `draw` would serve next, read without serving them."""
    with db.session() as session:
        return list(
            session.exec(
                select(Example)
                .where(Example.model_type == model_type, col(Example.served_at).is_(None))
                .order_by(col(Example.id))
                .limit(count)
            ).all()
        )


def served_to(db: Database, name: str) -> list[Example]:
    with db.session() as session:
        query = select(Example).where(Example.served_to == name).order_by(col(Example.id))
        return list(session.exec(query).all())


def format_data(
    provider: Adapter,
    model_type: ModelType,
    stage: str,
    method: str,
    trajectories: list[Trajectory],
) -> tuple[str, int]:
    lines = [
        provider.line(r, method, stage) for r in records.build(model_type, trajectories, stage)
    ]
    formats.validate(provider.name, method, lines)
    return formats.to_jsonl(lines), len(lines)


def prepare(
    db: Database,
    settings: FinetuneSettings,
    provider: Adapter,
    model_type: ModelType,
    stage: str,
    base_model: str | None,
) -> Prepared:
    """Choose the method, format and check the next examples, and price the job (nothing sent)."""
    method, model = provider.choose(stage, base_model)
    rows = unserved(db, model_type.name, settings.examples)
    if not rows:
        raise NoData(
            f"no unserved {model_type.name} examples to fine-tune on "
            f"(run `modelforge generate --type {model_type.name}`)"
        )
    trajectories = [row.trajectory() for row in rows]
    if method == PROMPT:
        text = json.dumps([t.problem.text for t in trajectories])
        price = pricing.price_of(settings, model)
        estimate = pricing.Estimate(0, 0.0, pricing.per_1k_requests(settings, price))
        return Prepared(method, model, text, len(rows), estimate)
    text, count = format_data(provider, model_type, stage, method, trajectories)
    estimate = pricing.estimate(settings, model, text, provider.epochs())
    return Prepared(method, model, text, count, estimate)


def write_data(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.jsonl"
    with atomic_path(path, replace_file=True) as scratch:  # a rerun writes it again
        scratch.write_text(text, encoding="utf-8")
    return path


def start(
    db: Database,
    settings: FinetuneSettings,
    provider: Adapter,
    model_type: ModelType,
    stage: str,
    prepared: Prepared,
    cycle_id: int | None,
) -> jobs.FinetuneJob:
    """Record the job under its name before anything is drawn or sent."""
    return jobs.create(
        db,
        name=jobs.new_name(provider.name, model_type.name, stage, cycle_id),
        provider=provider.name,
        model_type=model_type.name,
        stage=stage,
        method=prepared.method,
        base_model=prepared.base_model,
        cycle_id=cycle_id,
        estimated_cost_usd=prepared.estimate.cost_usd,
        price_per_1k=prepared.estimate.price_per_1k,
        detail={"lines": prepared.lines, "trained_tokens_estimate": prepared.estimate.tokens},
    )


def push(
    db: Database,
    settings: FinetuneSettings,
    provider: Adapter,
    model_type: ModelType,
    job: jobs.FinetuneJob,
    folder: Path,
) -> jobs.FinetuneJob:
    """Move a job on from wherever its row says it stopped, up to submitted (or done, for a
    prompt optimisation, which runs here and now)."""
    rows = served_to(db, job.name)
    if job.status == "prepared" and not rows:  # served to the job's name: a rerun finds them
        rows = ExampleStore(db).draw(job.model_type, settings.examples, served_to=job.name)
        job = jobs.update(db, job.id, example_ids=[row.id for row in rows])
    trajectories = [row.trajectory() for row in rows]
    if job.status == "prepared" and job.method == PROMPT:
        return run_prompt(db, settings, provider, model_type, job, trajectories, folder)
    if job.status == "prepared":
        text, _ = format_data(provider, model_type, job.stage, job.method, trajectories)
        path = write_data(folder, job.name, text)
        ref = provider.upload(job, path)
        job = jobs.update(db, job.id, status="uploaded", upload_ref=ref, data_path=str(path))
    if job.status == "uploaded":
        job = jobs.update(db, job.id, status="submitted", provider_job_id=provider.submit(job))
    return job


def run_prompt(
    db: Database,
    settings: FinetuneSettings,
    provider: Adapter,
    model_type: ModelType,
    job: jobs.FinetuneJob,
    trajectories: list[Trajectory],
    folder: Path,
) -> jobs.FinetuneJob:
    seed = zlib.crc32(job.name.encode())
    found = prompt_optimise.optimise(
        provider.messages, job.base_model, settings.anthropic, model_type, trajectories, seed
    )
    path = folder / f"{job.name}.prompt.json"
    with atomic_path(path, replace_file=True) as scratch:  # a rerun writes it again
        scratch.write_text(json.dumps(found, indent=2), encoding="utf-8")
    job = jobs.update(
        db,
        job.id,
        status="succeeded",
        data_path=str(path),
        result_model=f"{registry.PROMPTED_PREFIX}{job.base_model}:{job.name}",
        score=found["best"]["score"],
        detail={**job.detail, "candidates": found["candidates"], "held_out": found["held_out"]},
    )
    registry.register(db, job)
    return job


def refresh(db: Database, provider: Adapter, job: jobs.FinetuneJob) -> jobs.FinetuneJob:
    """Ask the provider once; store what changed; register the model the first time it succeeds."""
    if job.finished or job.provider_job_id is None:
        return job
    remote = provider.poll(job)
    fields: dict[str, Any] = {"status": remote.status, "detail": {**job.detail, **remote.detail}}
    if remote.result_model:
        fields["result_model"] = remote.result_model
    if remote.error:
        fields["error"] = remote.error
    updated = jobs.update(db, job.id, **fields)
    if updated.status == "succeeded" and job.status != "succeeded":
        registry.register(db, updated)
    return updated


def cancel(db: Database, provider: Adapter, job: jobs.FinetuneJob) -> jobs.FinetuneJob:
    if job.finished:
        raise ModelforgeError(f"job {job.name} is already {job.status}")
    if job.provider_job_id:
        provider.cancel(job)
    return jobs.update(db, job.id, status="cancelled")
