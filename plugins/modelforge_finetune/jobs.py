"""The jobs table: every paid fine-tuning job, from its name (chosen and stored before anything
is sent, so a resumed run finds it and never submits twice) to its result model or error."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel, col, select

from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.events import jsonable
from modelforge.models import utcnow
from modelforge.redact import redact

# prepared -> uploaded -> submitted -> running -> succeeded | failed | cancelled; refused (budget)
TERMINAL = ("succeeded", "failed", "cancelled", "refused")
MAX_NAME = 60  # Bedrock job names and Vertex label values allow 63 characters


class FinetuneJob(SQLModel, table=True):
    """One job; `name` is the idempotency key every provider call carries."""

    __tablename__ = "finetune_jobs"
    __table_args__ = (
        Index("ux_finetune_jobs_name", "name", unique=True),
        Index("ix_finetune_jobs_status", "status"),
        Index("ix_finetune_jobs_provider", "provider", "model_type"),
    )
    id: int | None = Field(default=None, primary_key=True)
    name: str
    provider: str
    model_type: str
    stage: str  # srl | rlvr | sft: which of our data shapes
    method: str  # the provider's method: supervised, reinforcement, prompt, ...
    base_model: str
    status: str = "prepared"
    cycle_id: int | None = Field(default=None, foreign_key="cycles.id")
    example_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    data_path: str | None = None
    upload_ref: str | None = None  # file id, gs:// or s3:// URI
    provider_job_id: str | None = None
    result_model: str | None = None
    estimated_cost_usd: float | None = None
    price_per_1k: float | None = None  # USD per 1000 requests to the result, for selection
    score: float | None = None  # verifier score, where the job measured one
    error: str | None = Field(default=None, sa_type=Text)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL

    def summary(self) -> dict[str, Any]:
        return jsonable(self.model_dump())


def new_name(provider: str, model_type: str, stage: str, cycle_id: int | None) -> str:
    """A name valid as an OpenAI suffix, a Bedrock job name and a Vertex label value.

    A lifecycle cycle gets one job per provider (the name is derived, so a resumed cycle finds
    it); a command-line run gets a fresh one.
    """
    tail = f"c{cycle_id}" if cycle_id is not None else secrets.token_hex(4)
    slug = re.sub(r"[^a-z0-9-]+", "-", model_type.lower()).strip("-")
    return f"mf-{slug}-{provider}-{stage}-{tail}"[-MAX_NAME:].lstrip("-")


def create(db: Database, **fields: Any) -> FinetuneJob:
    with db.session() as session:
        job = FinetuneJob(**fields)
        session.add(job)
        session.flush()
        return job


def named(db: Database, name: str) -> FinetuneJob | None:
    with db.session() as session:
        return session.exec(select(FinetuneJob).where(FinetuneJob.name == name)).first()


def find(db: Database, ref: str) -> FinetuneJob:
    """A job by id, name or provider job id; a user error if there is none."""
    with db.session() as session:
        query = select(FinetuneJob).where(
            (FinetuneJob.name == ref) | (FinetuneJob.provider_job_id == ref)
        )
        if ref.isdigit():
            query = select(FinetuneJob).where(FinetuneJob.id == int(ref))
        job = session.exec(query).first()
    if job is None:
        raise ModelforgeError(f"no fine-tuning job '{ref}' (see `modelforge finetune status`)")
    return job


def update(db: Database, job_id: int, **fields: Any) -> FinetuneJob:
    """Write fields to a job; an error text is redacted first, a terminal status timestamped."""
    if fields.get("error"):
        fields["error"] = redact(str(fields["error"]))
    if "detail" in fields:
        fields["detail"] = jsonable(fields["detail"])
    with db.session() as session:
        job = session.get(FinetuneJob, job_id)
        for key, value in fields.items():
            setattr(job, key, value)
        job.updated_at = utcnow()
        if job.status in TERMINAL and job.finished_at is None:
            job.finished_at = job.updated_at
        return job


def listing(db: Database, *, unfinished: bool = False, limit: int = 50) -> list[FinetuneJob]:
    query = select(FinetuneJob)
    if unfinished:
        query = query.where(col(FinetuneJob.status).not_in(TERMINAL))
    with db.session() as session:
        return list(session.exec(query.order_by(col(FinetuneJob.id).desc()).limit(limit)).all())


def succeeded(db: Database) -> list[FinetuneJob]:
    with db.session() as session:
        return list(
            session.exec(
                select(FinetuneJob)
                .where(FinetuneJob.status == "succeeded")
                .order_by(col(FinetuneJob.id))
            ).all()
        )
