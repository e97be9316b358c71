"""The core's tables. Their schema is created and changed only by migrations/ (alembic)."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Cycle(SQLModel, table=True):
    """One run of the lifecycle for one model type."""

    __tablename__ = "cycles"
    id: int | None = Field(default=None, primary_key=True)
    model_type: str = Field(index=True)
    status: str = "running"  # running | done | failed | interrupted
    trigger: str = "manual"  # once | schedule | manual
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class StageRun(SQLModel, table=True):
    """One attempt at one stage of a cycle; a resumed stage gets a new row, history stays."""

    __tablename__ = "stage_runs"
    id: int | None = Field(default=None, primary_key=True)
    cycle_id: int = Field(foreign_key="cycles.id", index=True)
    stage: str
    status: str = "running"  # running | done | skipped | failed | interrupted
    detail: str | None = None  # why skipped, or a short summary
    plugins: str | None = None  # comma list of the plugins that ran
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None
    duration_s: float | None = None
    progress_done: int = 0
    progress_total: int | None = None
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    error: str | None = None
    traceback: str | None = None


class Event(SQLModel, table=True):
    """An append-only log line; triggers in the migration refuse updates and deletes."""

    __tablename__ = "events"
    id: int | None = Field(default=None, primary_key=True)
    ts: datetime = Field(default_factory=utcnow, index=True)
    level: str = "info"  # debug | info | warning | error
    kind: str = Field(index=True)
    message: str
    cycle_id: int | None = Field(default=None, foreign_key="cycles.id", index=True)
    stage: str | None = None
    data: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class Artifact(SQLModel, table=True):
    """A file under the data directory (checkpoint, adapter, dataset) and where it came from."""

    __tablename__ = "artifacts"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    path: str
    kind: str = Field(index=True)
    model_type: str | None = Field(default=None, index=True)
    cycle_id: int | None = Field(default=None, foreign_key="cycles.id")
    stage_run_id: int | None = Field(default=None, foreign_key="stage_runs.id")
    checksum: str  # sha256 of the file, or of a folder's files in path order
    size_bytes: int
    lineage: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class ControlRequest(SQLModel, table=True):
    """A request to the daemon from the CLI or the TUI, which never train in their own process."""

    __tablename__ = "control_requests"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    action: str  # run_now | pause | resume | cancel
    model_type: str | None = None
    status: str = Field(default="pending", index=True)  # pending | done | refused
    handled_at: datetime | None = None
    note: str | None = None


class ModelEntry(SQLModel, table=True):
    """A model that can answer: a local artifact, a paid provider's model, or a prompted model.

    Trainers, provider fine-tuning, selection and serving all read and write this registry.
    """

    __tablename__ = "models"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)  # what requests and decisions call it
    kind: str  # local | remote | prompted
    model_type: str | None = Field(default=None, index=True)
    tier: str | None = None  # tiny | small | mid | remote
    provider: str | None = None  # openai | gemini | anthropic | bedrock, for remote ones
    provider_model_id: str | None = None
    path: str | None = None  # weights or adapter folder, for local ones
    base: str | None = None  # the base model an adapter sits on
    adapter: bool = False
    artifact_id: int | None = Field(default=None, foreign_key="artifacts.id")
    lineage: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    srl_rlvr: bool = False  # trained through SRL then RLVR; nothing else is ever selected
    status: str = "candidate"  # candidate | incumbent | retired | stale | must_retrain
    price_per_1k_tokens: float | None = None  # paid models
    cpu_seconds_per_1k_tokens: float | None = None  # measured, local models
    latency_ms: float | None = None  # measured mean
    requests: int = 0
    tokens: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
