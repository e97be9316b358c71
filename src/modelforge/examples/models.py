"""The example store's tables. Their schema is created by migrations/versions/0002_examples.py."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from modelforge.models import utcnow
from modelforge.modeltype import Problem, Step, Trajectory


class ExampleBatch(SQLModel, table=True):
    """One generation run for one type: the category mix it used and its true counts."""

    __tablename__ = "example_batches"
    id: int | None = Field(default=None, primary_key=True)
    model_type: str = Field(index=True)
    cycle_id: int | None = Field(default=None, foreign_key="cycles.id", index=True)
    status: str = "running"  # running | done | interrupted
    requested: int = 0
    mix: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    roles: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # accepted, duplicate_exact, duplicate_near, and rejected: {reason: count}
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    started_at: datetime = Field(default_factory=utcnow)
    finished_at: datetime | None = None


class Example(SQLModel, table=True):
    """A verified expert trajectory; served_at is set once, when training draws it."""

    __tablename__ = "examples"
    __table_args__ = (
        Index("ux_examples_type_hash", "model_type", "content_hash", unique=True),
        Index("ix_examples_type_served", "model_type", "served_at", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    model_type: str
    category: str = Field(index=True)
    difficulty: int
    problem: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    steps: list[dict[str, Any]] = Field(sa_column=Column(JSON, nullable=False))
    outcome: str
    content_hash: str
    signature: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # MinHash
    provenance: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    batch_id: int | None = Field(default=None, foreign_key="example_batches.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    served_at: datetime | None = None
    served_to: str | None = None

    def trajectory(self) -> Trajectory:
        steps = tuple(Step(**step) for step in self.steps)
        return Trajectory(Problem(**self.problem), steps, self.outcome)


class ExampleBand(SQLModel, table=True):
    """One LSH band bucket of an example's MinHash: near-duplicates share a bucket."""

    __tablename__ = "example_bands"
    __table_args__ = (Index("ix_example_bands_bucket", "model_type", "bucket"),)
    example_id: int = Field(foreign_key="examples.id", primary_key=True)
    band: int = Field(primary_key=True)
    model_type: str
    bucket: int = Field(sa_column=Column(BigInteger, nullable=False))
