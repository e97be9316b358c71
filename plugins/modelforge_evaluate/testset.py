"""The fixed test set of a type and rules version, and each cycle's trained model scored on it.

Drawn once (reserved in the example store like a held-out set, so training never gets a problem
of it) and never read by selection, tracking or promotion, which keep their own fresh held-out
draws: the learning curve compares every cycle on the same problems.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from sqlmodel import col, select

from modelforge.config import Config
from modelforge.db import Database
from modelforge.errors import StageInterrupted
from modelforge.examples.models import Example
from modelforge.models import Artifact
from modelforge.modeltype import ModelType
from modelforge.registry import list_models
from modelforge_evaluate import heldout, local_model
from modelforge_evaluate.tables import FixedTestRun, FixedTestSet

NOT_SCORED = ("stale", "retired")


def served_to(set_id: int) -> str:
    return f"testset:{set_id}"


def fixed(
    db: Database, model_type: ModelType, per_category: int, seed: int | None = None
) -> FixedTestSet:
    """The type's test set for its rules version, drawn on first use (with `seed`, the same
    problems in every data directory). A draw cut short is completed with the problems it had
    reserved."""
    with db.session() as session:
        sets = session.exec(
            select(FixedTestSet)
            .where(
                FixedTestSet.model_type == model_type.name,
                FixedTestSet.rules_version == model_type.rules.version,
            )
            .order_by(col(FixedTestSet.id))
        ).all()
        for test_set in sets:
            if not test_set.example_ids:
                reserved = session.exec(
                    select(Example.id)
                    .where(Example.served_to == served_to(test_set.id))
                    .order_by(col(Example.id))
                ).all()
                test_set.example_ids = list(reserved)
                session.add(test_set)
            if test_set.example_ids:
                return test_set
    if seed is None:
        seed = random.SystemRandom().randrange(1 << 31)
    with db.session() as session:
        test_set = FixedTestSet(
            model_type=model_type.name,
            rules_version=model_type.rules.version,
            seed=seed,
            per_category=per_category,
        )
        session.add(test_set)
        session.flush()
        set_id = test_set.id
    batch, ids = heldout.reserve(
        db,
        model_type,
        per_category,
        random.Random(seed),
        "test",
        served_to(set_id),
        {"test_set": set_id},
    )
    with db.session() as session:
        test_set = session.get(FixedTestSet, set_id)
        test_set.batch_id, test_set.example_ids = batch, ids
        session.add(test_set)
        session.flush()
        session.refresh(test_set)
    return test_set


def trained_in(db: Database, model_type: str, cycle_id: int) -> list:
    """The local models registered from artifacts this cycle wrote (any lineage: an ablation's
    model that may not serve still has a point on its curve)."""
    with db.session() as session:
        ours = set(
            session.exec(
                select(Artifact.id).where(
                    Artifact.cycle_id == cycle_id, Artifact.model_type == model_type
                )
            ).all()
        )
    return [
        e
        for e in list_models(db, model_type)
        if e.kind == "local" and e.path and e.artifact_id in ours and e.status not in NOT_SCORED
    ]


def score_cycle(
    db: Database,
    config: Config,
    model_type: ModelType,
    cycle_id: int | None,
    should_stop: Callable[[], bool] = lambda: False,
) -> list[dict[str, Any]]:
    """Score this cycle's trained models on the test set (each once); their points."""
    settings = config.section("evaluate")
    if not settings.test_per_category or cycle_id is None:
        return []
    entries = trained_in(db, model_type.name, cycle_id)
    if not entries:
        return []
    test_set = fixed(db, model_type, settings.test_per_category, settings.test_seed)
    items = heldout.problems(db, test_set)
    with db.session() as session:
        done = set(
            session.exec(
                select(FixedTestRun.model_name).where(FixedTestRun.test_set_id == test_set.id)
            ).all()
        )
    no_similarity = settings.model_copy(update={"step_similarity_per_category": 0})
    points = []
    for entry in entries:
        if entry.name in done:
            continue
        if should_stop():
            raise StageInterrupted("stopped while scoring the fixed test set")
        model, tokenizer = local_model.load(entry.path)
        run = local_model.run(model, tokenizer, model_type, items, no_similarity)
        points.append(store(db, test_set.id, cycle_id, model_type.name, entry, run))
    return points


def store(db: Database, set_id: int, cycle_id: int, model_type: str, entry, run) -> dict:
    by_difficulty: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_category: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sample in run.samples:
        for counts in (
            by_difficulty[str(sample.item.problem.difficulty)],
            by_category[sample.item.problem.category],
        ):
            counts[0] += sample.ok
            counts[1] += 1
    row = FixedTestRun(
        test_set_id=set_id,
        cycle_id=cycle_id,
        model_type=model_type,
        model_name=entry.name,
        artifact_id=entry.artifact_id,
        samples=len(run.samples),
        passed=sum(s.ok for s in run.samples),
        by_difficulty=dict(by_difficulty),
        by_category=dict(by_category),
    )
    with db.session() as session:
        session.add(row)
    return {"model": entry.name, "passed": row.passed, "samples": row.samples}
