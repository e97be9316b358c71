"""Fresh held-out sets, reserved in the core example store so training never sees them.

Why the example store rather than a private table: a held-out problem is generated fresh with
the type's seeded generator, solved by its expert procedure and stored like any example, then
marked served to `heldout:set-N` in the same step. Training draws only unserved examples, so it
can never get one; and the store's exact and near-duplicate checks reject the same problem if
the generator produces it again later, so it is never served afterwards either. A problem the
store already holds (it may have reached training) is skipped and another one drawn.
Every category gets the same number of problems, spread evenly over its difficulty levels.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sqlmodel import col, select

from modelforge.db import Database
from modelforge.examples import ExampleStore, NewExample
from modelforge.examples.models import Example
from modelforge.modeltype import ModelType, Problem, Trajectory
from modelforge_evaluate.tables import HeldOutSet

NEAR_THRESHOLD = 0.9
TRIES_PER_PROBLEM = 20


@dataclass(frozen=True)
class HeldOutProblem:
    example_id: int
    problem: Problem
    expected: str  # the expert's outcome


def existing(db: Database, model_type: str, cycle_id: int) -> HeldOutSet | None:
    """The set already drawn for this cycle: every model of a cycle is scored on the same one.

    A draw cut short (the process killed) left its set without problems: if its examples were
    already reserved, the set is completed with them; if not, it is passed over and the caller
    draws a fresh one. Either way no reserved problem is lost and no model is scored on none.
    """
    with db.session() as session:
        sets = session.exec(
            select(HeldOutSet)
            .where(HeldOutSet.model_type == model_type, HeldOutSet.cycle_id == cycle_id)
            .order_by(col(HeldOutSet.id).desc())
        ).all()
        for heldout in sets:
            if heldout.example_ids:
                return heldout
            reserved = session.exec(
                select(Example)
                .where(Example.served_to == f"heldout:set-{heldout.id}")
                .order_by(col(Example.id))
            ).all()
            if reserved:
                heldout.batch_id = reserved[0].batch_id
                heldout.example_ids = [row.id for row in reserved]
                session.add(heldout)
                return heldout
    return None


def draw(
    db: Database, model_type: ModelType, per_category: int, cycle_id: int | None
) -> HeldOutSet:
    """Generate, reserve and record a fresh set of per_category problems in every category."""
    seed = random.SystemRandom().randrange(1 << 31)
    rng = random.Random(seed)
    with db.session() as session:
        heldout = HeldOutSet(
            model_type=model_type.name,
            cycle_id=cycle_id,
            seed=seed,
            per_category=per_category,
            rules_version=model_type.rules.version,
        )
        session.add(heldout)
        session.flush()
        set_id = heldout.id
    batch, ids = reserve(
        db,
        model_type,
        per_category,
        rng,
        "held-out",
        f"heldout:set-{set_id}",
        {"heldout_set": set_id},
    )
    with db.session() as session:
        heldout = session.get(HeldOutSet, set_id)
        heldout.batch_id, heldout.example_ids = batch, ids
        session.add(heldout)
    return heldout


def reserve(
    db: Database,
    model_type: ModelType,
    per_category: int,
    rng: random.Random,
    purpose: str,
    served_to: str,
    provenance: dict,
) -> tuple[int, list[int]]:
    """(batch id, example ids): per_category fresh problems of every category, spread evenly
    over its levels, stored and at once marked served to `served_to`, so training never draws
    them and the store refuses them again later."""
    store = ExampleStore(db)
    # No cycle id on the batch: these are not a cycle's training examples.
    batch = store.start_batch(
        model_type.name,
        requested=per_category * len(model_type.categories),
        mix={"purpose": purpose, "per_category": per_category},
        roles={"expert": "procedure", "purpose": served_to},
    )
    ids = []
    for category in model_type.categories:
        for index in range(per_category):
            level = category.levels[index % len(category.levels)]
            example_id = _fresh(
                store, batch, model_type, category.name, level, rng, purpose, provenance
            )
            if example_id is not None:
                ids.append(example_id)
    store.finish_batch(batch)
    store.mark_served(ids, served_to)
    return batch, ids


def _fresh(store, batch, model_type, category, level, rng, purpose, provenance) -> int | None:
    for _ in range(TRIES_PER_PROBLEM):
        problem = model_type.generate_problem(category, level, rng.randrange(1 << 30))
        steps = model_type.solve(problem)
        outcome = model_type.outcome_of(problem, steps) or ""
        example = NewExample(
            model_type.name,
            Trajectory(problem, tuple(steps), outcome),
            {"source": purpose, **provenance, "expert": "procedure"},
        )
        added = store.add(batch, example, NEAR_THRESHOLD)
        if added.status == "stored":
            return added.example_id
    return None


def problems(db: Database, heldout) -> list[HeldOutProblem]:
    """A set's problems (a held-out or a fixed test set) in the order they were drawn."""
    with db.session() as session:
        rows = session.exec(select(Example).where(col(Example.id).in_(heldout.example_ids))).all()
    by_id = {row.id: row for row in rows}
    return [
        HeldOutProblem(i, by_id[i].trajectory().problem, by_id[i].outcome)
        for i in heldout.example_ids
        if i in by_id
    ]
