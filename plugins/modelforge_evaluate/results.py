"""Store evaluation results and read them back: per run, per category, per sample."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from modelforge.db import Database
from modelforge.stats import wilson
from modelforge_evaluate.local_model import ModelRun
from modelforge_evaluate.tables import EvalRun, EvalSample, EvalScore


def store(
    db: Database,
    heldout_set_id: int,
    cycle_id: int | None,
    model_type: str,
    model_name: str,
    run: ModelRun,
) -> int:
    """Write one model's run with its per-category counts and every sample; return its id."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for sample in run.samples:
        counts[sample.item.problem.category][0] += sample.ok
        counts[sample.item.problem.category][1] += 1
    with db.session() as session:
        row = EvalRun(
            heldout_set_id=heldout_set_id,
            cycle_id=cycle_id,
            model_type=model_type,
            model_name=model_name,
            samples=len(run.samples),
            passed=sum(s.ok for s in run.samples),
            step_similarity=run.step_similarity,
            seconds=round(run.seconds, 3),
            cpu_seconds=round(run.cpu_seconds, 3),
            tokens=run.tokens,
        )
        session.add(row)
        session.flush()
        session.add_all(
            EvalScore(
                eval_run_id=row.id,
                cycle_id=cycle_id,
                model_type=model_type,
                model_name=model_name,
                category=category,
                passed=passed,
                n=n,
            )
            for category, (passed, n) in sorted(counts.items())
        )
        session.add_all(
            EvalSample(
                eval_run_id=row.id,
                example_id=s.item.example_id,
                category=s.item.problem.category,
                difficulty=s.item.problem.difficulty,
                input=s.prompt,
                expected=s.item.expected,
                output=s.output,
                ok=s.ok,
                rule=s.rule,
                reason=s.reason,
            )
            for s in run.samples
        )
        return row.id


def evaluated_on(db: Database, heldout_set_id: int) -> set[str]:
    with db.session() as session:
        return set(
            session.exec(
                select(EvalRun.model_name).where(EvalRun.heldout_set_id == heldout_set_id)
            ).all()
        )


def runs(
    db: Database,
    *,
    model_type: str | None = None,
    cycle_id: int | None = None,
    model_name: str | None = None,
) -> list[EvalRun]:
    query = select(EvalRun).order_by(col(EvalRun.id))
    if model_type is not None:
        query = query.where(EvalRun.model_type == model_type)
    if cycle_id is not None:
        query = query.where(EvalRun.cycle_id == cycle_id)
    if model_name is not None:
        query = query.where(EvalRun.model_name == model_name)
    with db.session() as session:
        return list(session.exec(query).all())


def latest_run_ids(db: Database, model_type: str | None = None) -> dict[str, int]:
    """The newest evaluation of every model: what its quality is judged on now."""
    query = select(EvalRun.model_name, func.max(EvalRun.id)).group_by(EvalRun.model_name)
    if model_type is not None:
        query = query.where(EvalRun.model_type == model_type)
    with db.session() as session:
        return dict(session.exec(query).all())


def scores_of(db: Database, run_ids: list[int]) -> dict[int, dict[str, tuple[int, int]]]:
    """(passed, n) per category for each run id."""
    out: dict[int, dict[str, tuple[int, int]]] = {i: {} for i in run_ids}
    with db.session() as session:
        for score in session.exec(select(EvalScore).where(col(EvalScore.eval_run_id).in_(run_ids))):
            out[score.eval_run_id][score.category] = (score.passed, score.n)
    return out


def evaluated_cycles(db: Database, model_type: str) -> list[int]:
    """Lifecycle cycles of the type that stored evaluations, oldest first."""
    with db.session() as session:
        rows = session.exec(
            select(EvalRun.cycle_id)
            .where(EvalRun.model_type == model_type, col(EvalRun.cycle_id).is_not(None))
            .distinct()
        ).all()
    return sorted(rows)


def summary(run: EvalRun, scores: dict[str, tuple[int, int]], z: float) -> dict[str, Any]:
    """A run's figures with Wilson intervals, overall and per category."""
    return {
        "eval_run": run.id,
        "cycle_id": run.cycle_id,
        "heldout_set": run.heldout_set_id,
        "model": run.model_name,
        "overall": wilson(run.passed, run.samples, z).as_dict(),
        "by_category": {c: wilson(p, n, z).as_dict() for c, (p, n) in sorted(scores.items())},
        "step_similarity": run.step_similarity,
        "seconds": run.seconds,
        "cpu_seconds": run.cpu_seconds,
        "tokens": run.tokens,
    }


def failures(db: Database, eval_run_id: int, limit: int) -> list[dict[str, Any]]:
    """Failed samples of a run, to look at rather than count."""
    with db.session() as session:
        rows = session.exec(
            select(EvalSample)
            .where(EvalSample.eval_run_id == eval_run_id, col(EvalSample.ok).is_(False))
            .order_by(col(EvalSample.id))
            .limit(limit)
        ).all()
    return [
        {
            "category": r.category,
            "difficulty": r.difficulty,
            "input": r.input,
            "expected": r.expected,
            "output": r.output,
            "rule": r.rule,
            "reason": r.reason,
        }
        for r in rows
    ]
