"""The checklist items this plugin knows better: tracking and selection, from its tables."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from modelforge.config import Config
from modelforge.db import Database
from modelforge_evaluate.responsibilities import configured
from modelforge_evaluate.tables import EvalRun, EvalSample, Regression, SelectionDecision, Weakness


def evidence(item: str, db: Database, config: Config) -> tuple[str, str]:
    return tracking(db, config) if item == "tracking" else selection(db, config)


def tracking(db: Database, config: Config) -> tuple[str, str]:
    """Done when every enabled type has a cycle evaluation with per-sample results."""
    with db.session() as session:
        runs = session.exec(select(EvalRun).where(col(EvalRun.cycle_id).is_not(None))).all()
        sampled = set(session.exec(select(EvalSample.eval_run_id).distinct()).all())
        weak = session.exec(select(func.count()).select_from(Weakness)).one()
        regressions = session.exec(select(func.count()).select_from(Regression)).one()
    types = {run.model_type for run in runs if run.id in sampled}
    missing = [t for t in config.enabled_types if t not in types]
    figures = (
        f"{len(runs)} cycle evaluation(s) with per-sample results; {weak} current "
        f"weakness(es); {regressions} regression(s) recorded"
    )
    if missing or not runs:
        return "not done", f"no cycle evaluation for: {', '.join(missing) or 'any type'}; {figures}"
    return "done", figures


def selection(db: Database, config: Config) -> tuple[str, str]:
    """Done when every responsibility has a stored decision whose reasons list candidates."""
    names = sorted(configured(config))
    with db.session() as session:
        rows = session.exec(select(SelectionDecision).order_by(col(SelectionDecision.id))).all()
    latest = {row.responsibility: row for row in rows}
    missing = [n for n in names if n not in latest or not latest[n].detail.get("reasons")]
    if missing or not names:
        return "not done", (
            "no stored decision with reasons for: "
            f"{', '.join(missing) or 'any responsibility (none configured)'}"
        )
    counts = ", ".join(
        f"{n} → {latest[n].model} ({len(latest[n].detail['reasons'])} candidates)" for n in names
    )
    return "done", f"{len(rows)} decision(s) stored; latest: {counts}"
