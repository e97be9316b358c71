"""The example store's operations. Each write is one transaction, so a kill never half-writes.

Trainers and the evaluator call `draw` (atomic: the examples it returns are marked served in
the same transaction, so no two callers get the same example); the generator calls
`start_batch`, `add` and `count_rejection`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func
from sqlmodel import col, select

from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.events import jsonable
from modelforge.examples import content
from modelforge.examples.models import Example, ExampleBand, ExampleBatch
from modelforge.models import utcnow
from modelforge.modeltype import Trajectory

MAX_NEAR_CANDIDATES = 64  # a bucket shared by more examples than this is compared in part only


class AlreadyServed(ModelforgeError):
    """An example was to be marked served a second time."""


@dataclass(frozen=True)
class NewExample:
    """A verified trajectory and where it came from, ready to store."""

    model_type: str
    trajectory: Trajectory
    provenance: dict[str, Any]

    @property
    def text(self) -> str:
        """What the exact hash covers: the problem, the actions and the outcome (no rationale)."""
        lines = [self.trajectory.problem.text]
        lines += [f"{step.title or ''}: {step.action}" for step in self.trajectory.steps]
        return "\n".join([*lines, self.trajectory.outcome])

    @property
    def near_text(self) -> str:
        """What near-duplicates are judged on: a near-identical problem with the same outcome.

        The steps are left out because they share the type's template, which would make every
        example look alike.
        """
        return f"{self.trajectory.problem.text}\n{self.trajectory.outcome}"


@dataclass(frozen=True)
class AddResult:
    status: Literal["stored", "duplicate_exact", "duplicate_near"]
    example_id: int | None = None
    similar_to: int | None = None


def _bump(counts: dict[str, Any], key: str, reason: str | None = None) -> dict[str, Any]:
    counts = {**counts}
    if reason is None:
        counts[key] = counts.get(key, 0) + 1
    else:
        nested = {**counts.get(key, {})}
        nested[reason] = nested.get(reason, 0) + 1
        counts[key] = nested
    return counts


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ExampleStore:
    def __init__(self, db: Database):
        self.db = db

    # ------------------------------------------------------------ generation

    def start_batch(
        self,
        model_type: str,
        *,
        requested: int,
        mix: dict[str, Any],
        roles: dict[str, Any],
        cycle_id: int | None = None,
    ) -> int:
        """Open a batch; batches left running by a process that died are marked interrupted."""
        with self.db.session() as session:
            for stale in session.exec(
                select(ExampleBatch).where(
                    ExampleBatch.model_type == model_type, ExampleBatch.status == "running"
                )
            ):
                if not _pid_alive(stale.roles.get("pid", 0)):
                    stale.status = "interrupted"
            batch = ExampleBatch(
                model_type=model_type,
                cycle_id=cycle_id,
                requested=requested,
                mix=jsonable(mix),
                roles=jsonable({**roles, "pid": os.getpid()}),
            )
            session.add(batch)
            session.flush()
            return batch.id

    def finish_batch(self, batch_id: int, status: str = "done") -> dict[str, Any]:
        with self.db.session() as session:
            batch = session.get(ExampleBatch, batch_id)
            batch.status = status
            batch.finished_at = utcnow()
            return dict(batch.counts)

    def count_rejection(self, batch_id: int, reason: str) -> None:
        with self.db.session() as session:
            batch = session.get(ExampleBatch, batch_id)
            batch.counts = _bump(batch.counts, "rejected", reason)

    def add(self, batch_id: int, example: NewExample, near_threshold: float) -> AddResult:
        """Store a verified example unless it duplicates one, and count it, in one transaction."""
        digest = content.content_hash(example.text)
        sig = content.signature(example.near_text)
        buckets = content.bands(sig)
        with self.db.session() as session:
            batch = session.get(ExampleBatch, batch_id)
            if session.exec(
                select(Example.id).where(
                    Example.model_type == example.model_type, Example.content_hash == digest
                )
            ).first():
                batch.counts = _bump(batch.counts, "duplicate_exact")
                return AddResult("duplicate_exact")
            similar = self._near(session, example.model_type, sig, buckets, near_threshold)
            if similar is not None:
                batch.counts = _bump(batch.counts, "duplicate_near")
                return AddResult("duplicate_near", similar_to=similar)
            problem = example.trajectory.problem
            row = Example(
                model_type=example.model_type,
                category=problem.category,
                difficulty=problem.difficulty,
                problem=jsonable(problem.__dict__),
                steps=jsonable([step.__dict__ for step in example.trajectory.steps]),
                outcome=example.trajectory.outcome,
                content_hash=digest,
                signature=sig,
                provenance=jsonable(example.provenance),
                batch_id=batch_id,
            )
            session.add(row)
            session.flush()
            session.add_all(
                ExampleBand(
                    example_id=row.id, band=band, model_type=example.model_type, bucket=bucket
                )
                for band, bucket in enumerate(buckets)
            )
            batch.counts = _bump(batch.counts, "accepted")
            return AddResult("stored", row.id)

    @staticmethod
    def _near(
        session, model_type: str, sig: bytes, buckets: list[int], threshold: float
    ) -> int | None:
        """The id of a stored example at least `threshold` similar, found through shared buckets."""
        # Buckets are 64-bit hashes, so matching any band's bucket is as good as matching it
        # in its own band, and lets the lookup be one index range per bucket.
        ids = session.exec(
            select(ExampleBand.example_id)
            .where(ExampleBand.model_type == model_type, col(ExampleBand.bucket).in_(buckets))
            .distinct()
            .limit(MAX_NEAR_CANDIDATES)
        ).all()
        if not ids:
            return None
        for example_id, other in session.exec(
            select(Example.id, Example.signature).where(col(Example.id).in_(ids))
        ):
            if content.similarity(sig, other) >= threshold:
                return example_id
        return None

    # ------------------------------------------------------------ serving

    def draw(
        self, model_type: str, n: int, *, served_to: str, category: str | None = None
    ) -> list[Example]:
        """Up to n unserved examples, oldest first, marked served to `served_to` atomically."""
        query = select(Example).where(
            Example.model_type == model_type, col(Example.served_at).is_(None)
        )
        if category is not None:
            query = query.where(Example.category == category)
        with self.db.session() as session:
            rows = list(session.exec(query.order_by(col(Example.id)).limit(n)).all())
            now = utcnow()
            for row in rows:
                row.served_at, row.served_to = now, served_to
            return rows

    def mark_served(self, ids: list[int], served_to: str) -> None:
        """Mark examples served; AlreadyServed (and nothing marked) if any one was."""
        with self.db.session() as session:
            rows = session.exec(select(Example).where(col(Example.id).in_(ids))).all()
            if len(rows) != len(set(ids)):
                raise ModelforgeError(f"unknown example id among {sorted(set(ids))[:10]}")
            served = [row.id for row in rows if row.served_at is not None]
            if served:
                raise AlreadyServed(f"examples already served: {served[:10]}")
            now = utcnow()
            for row in rows:
                row.served_at, row.served_to = now, served_to

    # ------------------------------------------------------------ reading

    def unserved_count(self, model_type: str) -> int:
        with self.db.session() as session:
            return session.exec(
                select(func.count())
                .select_from(Example)
                .where(Example.model_type == model_type, col(Example.served_at).is_(None))
            ).one()

    def category_counts(self, model_type: str) -> dict[str, int]:
        """Stored examples per category, served or not (what coverage is judged on)."""
        with self.db.session() as session:
            rows = session.exec(
                select(Example.category, func.count())
                .where(Example.model_type == model_type)
                .group_by(Example.category)
            ).all()
        return dict(rows)

    def generated_in_cycle(self, model_type: str, cycle_id: int) -> int:
        with self.db.session() as session:
            batches = session.exec(
                select(ExampleBatch).where(
                    ExampleBatch.model_type == model_type, ExampleBatch.cycle_id == cycle_id
                )
            ).all()
        return sum(batch.counts.get("accepted", 0) for batch in batches)

    def cycles_with_examples(self, model_type: str) -> list[int]:
        """The lifecycle cycles whose generation stored at least one example of the type."""
        with self.db.session() as session:
            rows = session.exec(
                select(ExampleBatch.cycle_id)
                .join(Example, col(Example.batch_id) == ExampleBatch.id)
                .where(Example.model_type == model_type, col(ExampleBatch.cycle_id).is_not(None))
                .distinct()
            ).all()
        return sorted(rows)

    def stats(self, model_type: str) -> dict[str, Any]:
        """Per category: stored, served, unserved; and the batches' duplicate and rejection counts."""
        with self.db.session() as session:
            rows = session.exec(
                select(Example.category, col(Example.served_at).is_not(None), func.count())
                .where(Example.model_type == model_type)
                .group_by(Example.category, col(Example.served_at).is_not(None))
            ).all()
            batches = session.exec(
                select(ExampleBatch).where(ExampleBatch.model_type == model_type)
            ).all()
        categories: dict[str, dict[str, int]] = {}
        for category, served, count in rows:
            entry = categories.setdefault(category, {"stored": 0, "served": 0, "unserved": 0})
            entry["stored"] += count
            entry["served" if served else "unserved"] += count
        totals = {
            key: sum(entry[key] for entry in categories.values())
            for key in ("stored", "served", "unserved")
        }
        rejected: dict[str, int] = {}
        for batch in batches:
            for reason, count in batch.counts.get("rejected", {}).items():
                rejected[reason] = rejected.get(reason, 0) + count
        return {
            "model_type": model_type,
            "categories": dict(sorted(categories.items())),
            "total": totals,
            "batches": len(batches),
            "cycles": len({batch.cycle_id for batch in batches if batch.cycle_id is not None}),
            "duplicates": {
                "exact": sum(batch.counts.get("duplicate_exact", 0) for batch in batches),
                "near": sum(batch.counts.get("duplicate_near", 0) for batch in batches),
            },
            "rejected": dict(sorted(rejected.items())),
        }

    def iter_examples(self, model_type: str, chunk: int = 1000) -> Iterator[Example]:
        """Every stored example of a type, in id order, read in chunks."""
        last = 0
        while True:
            with self.db.session() as session:
                rows = session.exec(
                    select(Example)
                    .where(Example.model_type == model_type, col(Example.id) > last)
                    .order_by(col(Example.id))
                    .limit(chunk)
                ).all()
            if not rows:
                return
            yield from rows
            last = rows[-1].id
