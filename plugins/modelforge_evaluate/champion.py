"""The `champion` hook's answer: the model a type's next cycle trains from.

The incumbent (the local model one of the type's responsibilities serves) is the champion. While
a candidate waits for its `promotion_cycles` clean cycles, the next cycle trains the newest
clean candidate that descends from the incumbent, so the line of training neither stalls (each
cycle building on the same incumbent again) nor forks (two cycles each branching from it); the
incumbent stays the start when no such candidate exists. Without an incumbent: the newest clean
model. Clean: evaluated at least once and never recorded with a regression. A regressed model is
never a start; when every evaluated model regressed, the base is.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from modelforge.db import Database
from modelforge.models import ModelEntry
from modelforge.registry import list_models
from modelforge_evaluate.chain import ancestry
from modelforge_evaluate.tables import EvalRun, Incumbent, Regression

NOT_A_START = ("stale", "retired")  # trained on older rules, or taken out by hand


def answer(db: Database, model_type: str) -> dict[str, Any] | None:
    """`{"artifact_id", "why"}`, or None when this plugin knows no model of the type."""
    entries = {
        e.name: e
        for e in list_models(db, model_type)
        if e.kind == "local" and e.artifact_id is not None and e.status not in NOT_A_START
    }
    incumbent = _incumbent(db, model_type, entries)
    evaluated, regressed = _evaluated_and_regressed(db, model_type)
    clean = [
        e
        for e in entries.values()
        if e.name in evaluated and e.name not in regressed and e is not incumbent
    ]
    clean.sort(key=lambda e: e.artifact_id, reverse=True)
    if incumbent is not None:
        for entry in clean:
            if incumbent.artifact_id in {a.id for a in ancestry(db, entry.artifact_id)[1:]}:
                return {
                    "artifact_id": entry.artifact_id,
                    "model": entry.name,
                    "why": f"{entry.name} descends from the incumbent {incumbent.name} and is "
                    "clean; it continues the line while it waits for promotion",
                }
        return {
            "artifact_id": incumbent.artifact_id,
            "model": incumbent.name,
            "why": f"{incumbent.name} serves a responsibility of {model_type}",
        }
    if clean:
        return {
            "artifact_id": clean[0].artifact_id,
            "model": clean[0].name,
            "why": f"{clean[0].name} is the newest model evaluated without a regression",
        }
    if evaluated & set(entries):
        return {"artifact_id": None, "why": "every evaluated model regressed: the base"}
    return None


def _incumbent(db: Database, model_type: str, entries: dict[str, ModelEntry]) -> ModelEntry | None:
    """The local model serving one of the type's responsibilities (the newest, if several)."""
    with db.session() as session:
        serving = session.exec(
            select(Incumbent.model).where(Incumbent.model_type == model_type)
        ).all()
    local = [entries[name] for name in serving if name in entries]
    return max(local, key=lambda e: e.artifact_id) if local else None


def _evaluated_and_regressed(db: Database, model_type: str) -> tuple[set[str], set[str]]:
    with db.session() as session:
        evaluated = set(
            session.exec(select(EvalRun.model_name).where(EvalRun.model_type == model_type)).all()
        )
        regressed = set(
            session.exec(
                select(Regression.model_name).where(Regression.model_type == model_type)
            ).all()
        )
    return evaluated, regressed
