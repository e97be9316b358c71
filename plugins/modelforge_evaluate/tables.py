"""This plugin's tables; their schema is created by migrations/evaluate_0001_tables.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Text
from sqlmodel import Field, SQLModel

from modelforge.models import utcnow


class HeldOutSet(SQLModel, table=True):
    """The fresh problems of one evaluation; every model evaluated with it sees the same ones."""

    __tablename__ = "heldout_sets"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    model_type: str = Field(index=True)
    cycle_id: int | None = Field(default=None, index=True)
    seed: int
    per_category: int
    rules_version: str
    batch_id: int | None = None  # the example-store batch that reserves the problems
    example_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class EvalRun(SQLModel, table=True):
    """One model scored on one held-out set: totals, step similarity, measured cost."""

    __tablename__ = "eval_runs"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    heldout_set_id: int = Field(index=True)
    cycle_id: int | None = Field(default=None, index=True)
    model_type: str = Field(index=True)
    model_name: str = Field(index=True)
    samples: int
    passed: int
    step_similarity: float | None = None
    seconds: float
    cpu_seconds: float
    tokens: int  # generated


class EvalScore(SQLModel, table=True):
    """Pass count of one model in one category of one evaluation."""

    __tablename__ = "eval_scores"
    id: int | None = Field(default=None, primary_key=True)
    eval_run_id: int = Field(index=True)
    cycle_id: int | None = Field(default=None, index=True)
    model_type: str
    model_name: str = Field(index=True)
    category: str
    n: int
    passed: int


class EvalSample(SQLModel, table=True):
    """One problem, what the model wrote, and the verifier's verdict, to look at a failure."""

    __tablename__ = "eval_samples"
    id: int | None = Field(default=None, primary_key=True)
    eval_run_id: int = Field(index=True)
    example_id: int | None = None
    category: str
    difficulty: int
    input: str = Field(sa_type=Text)
    expected: str = Field(sa_type=Text)
    output: str = Field(sa_type=Text)
    ok: bool
    rule: str | None = None  # the first rule the output broke
    reason: str | None = Field(default=None, sa_type=Text)


class Weakness(SQLModel, table=True):
    """A category the type's lead model is weak in now (replaced by every track run).

    The generation plugin reads model_type, category and severity to lean its mix.
    """

    __tablename__ = "weaknesses"
    id: int | None = Field(default=None, primary_key=True)
    model_type: str = Field(index=True)
    category: str
    severity: float  # how far below the floor or the model's own mean, 0..1
    model_name: str
    cycle_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    evidence: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Regression(SQLModel, table=True):
    """A significant drop of a model against the previous cycle (category `*`: overall)."""

    __tablename__ = "regressions"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    cycle_id: int | None = Field(default=None, index=True)
    model_type: str
    model_name: str = Field(index=True)
    category: str
    evidence: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class Incumbent(SQLModel, table=True):
    """Who serves a responsibility now, and who served before (for rollback)."""

    __tablename__ = "incumbents"
    responsibility: str = Field(primary_key=True)
    model_type: str
    model: str
    previous: str | None = None
    since: datetime = Field(default_factory=utcnow)


class SelectionDecision(SQLModel, table=True):
    """Every selection, promotion and rollback, with the reasons that decided it."""

    __tablename__ = "selection_decisions"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    cycle_id: int | None = Field(default=None, index=True)
    responsibility: str = Field(index=True)
    action: str  # select | promote | keep | rollback
    model: str | None = None
    previous: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class WebhookDelivery(SQLModel, table=True):
    """One attempt series to send one event to one target, and how it ended."""

    __tablename__ = "webhook_deliveries"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    event_id: int | None = Field(default=None, index=True)
    event: str
    target: str
    status: str  # delivered | failed
    attempts: int
    error: str | None = Field(default=None, sa_type=Text)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class WebhookCursor(SQLModel, table=True):
    """The last event each target has been offered, so nothing is sent twice."""

    __tablename__ = "webhook_cursors"
    target: str = Field(primary_key=True)
    last_event_id: int


class FixedTestSet(SQLModel, table=True):
    """A type's fixed test set for one rules version: drawn once, reserved in the example
    store so training never gets it, and never read by selection (which has its own draws)."""

    __tablename__ = "test_sets"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    model_type: str = Field(index=True)
    rules_version: str
    seed: int
    per_category: int
    batch_id: int | None = None
    example_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class FixedTestRun(SQLModel, table=True):
    """One model scored on its type's fixed test set: a point of the learning curve."""

    __tablename__ = "test_runs"
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow)
    test_set_id: int = Field(index=True)
    cycle_id: int | None = Field(default=None, index=True)
    model_type: str = Field(index=True)
    model_name: str = Field(index=True)
    artifact_id: int | None = None
    samples: int
    passed: int
    # {"level": [passed, n]} and {"category": [passed, n]}
    by_difficulty: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    by_category: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
