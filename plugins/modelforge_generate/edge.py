"""The edge-of-competence mix: where the type's champion can still learn.

RLVR learns only from a group whose completions differ in reward, so a category or level the
champion never solves (pass rate p = 0) or always solves (p = 1) teaches it nothing; p·(1 − p)
is highest in between. p comes from the champion's newest held-out evaluation, read through the
tables the evaluate plugin publishes as "evaluations" and "evaluation_samples" (the fixed test
set is never used: it must not steer what is trained on).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import inspect, text

from modelforge import champion
from modelforge.contracts import published
from modelforge.db import Database
from modelforge.registry import list_models

Rates = dict[str, dict[int, tuple[int, int]]]  # category -> difficulty -> (passed, n)
UNKNOWN = 0.5  # the pass rate of a level the evaluation did not sample: it may be at the edge


@dataclass(frozen=True)
class Competence:
    """The champion's pass rates, and which model and evaluation they are from."""

    model: str
    eval_run: int
    rates: Rates


def competence(plugins, db: Database, config, model_type: str) -> Competence | None:
    """The champion's pass rates per category and difficulty, or None while there are none: no
    evaluate plugin publishes them, the champion is the base, or it was never evaluated."""
    contract = published(plugins)
    runs, samples = contract.table("evaluations"), contract.table("evaluation_samples")
    if runs is None or not {"id", "model_type", "model_name"} <= set(runs.columns):
        return None
    if samples is None or not {"eval_run_id", "category", "difficulty", "ok"} <= set(
        samples.columns
    ):
        return None
    kind = contract.artifact_kind("rlvr_model") or ""  # the core's fallback: the newest of it
    chosen = champion.resolve(plugins, db, config, model_type, kind).artifact
    if chosen is None:
        return None
    names = [e.name for e in list_models(db, model_type) if e.artifact_id == chosen.id]
    tables = inspect(db.engine)
    if not names or not (tables.has_table(runs.name) and tables.has_table(samples.name)):
        return None
    with db.engine.connect() as connection:
        run = connection.execute(
            text(f'SELECT MAX(id) FROM "{runs.name}" WHERE model_type = :t AND model_name = :m'),
            {"t": model_type, "m": names[0]},
        ).scalar()
        if run is None:
            return None
        rows = connection.execute(
            text(
                f"SELECT category, difficulty, SUM(CASE WHEN ok THEN 1 ELSE 0 END), COUNT(*) "
                f'FROM "{samples.name}" WHERE eval_run_id = :r GROUP BY category, difficulty'
            ),
            {"r": run},
        ).all()
    rates: Rates = {}
    for category, difficulty, passed, n in rows:
        rates.setdefault(category, {})[int(difficulty)] = (int(passed), int(n))
    return Competence(names[0], int(run), rates)


def learnable(passed: int, n: int) -> float:
    """p·(1 − p): how much a group of completions at pass rate p can differ in reward."""
    p = passed / n if n else UNKNOWN
    return p * (1 - p)


def weights(
    levels: dict[str, tuple[int, ...]], rates: Rates
) -> tuple[dict[str, float], dict[str, dict[int, float]]]:
    """What each category can teach (the mean over its levels) and each of its levels."""
    by_level = {
        c: {level: learnable(*rates.get(c, {}).get(level, (0, 0))) for level in ls}
        for c, ls in levels.items()
    }
    return {c: sum(w.values()) / len(w) for c, w in by_level.items()}, by_level
