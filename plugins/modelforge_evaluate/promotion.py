"""Promotion and rollback. A candidate replaces the incumbent of a responsibility only after
`promotion_cycles` consecutive evaluated cycles without a regression and with better
cost-benefit; the replaced model is kept as `previous` for rollback. Every outcome is stored."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.events import record_event
from modelforge.registry import get_model, set_status
from modelforge_evaluate import results
from modelforge_evaluate.candidates import blocked_reason
from modelforge_evaluate.tables import Incumbent, Regression, SelectionDecision


def clean_cycles(db: Database, model_name: str, model_type: str) -> tuple[int, str]:
    """How many of the type's latest evaluated cycles in a row evaluated the model without a
    regression, and what ended the run of them."""
    evaluated = {run.cycle_id for run in results.runs(db, model_name=model_name)}
    with db.session() as session:
        regressed = set(
            session.exec(
                select(Regression.cycle_id).where(Regression.model_name == model_name)
            ).all()
        )
    count = 0
    for cycle in reversed(results.evaluated_cycles(db, model_type)):
        if cycle in regressed:
            return count, f"regression in cycle {cycle}"
        if cycle not in evaluated:
            return count, f"not evaluated in cycle {cycle}"
        count += 1
    return count, "no earlier evaluated cycle"


def record(
    db: Database,
    cycle_id: int | None,
    responsibility: str,
    action: str,
    model: str | None,
    previous: str | None,
    detail: dict[str, Any],
) -> None:
    with db.session() as session:
        session.add(
            SelectionDecision(
                cycle_id=cycle_id,
                responsibility=responsibility,
                action=action,
                model=model,
                previous=previous,
                detail=detail,
            )
        )


def apply(
    db: Database, answer: dict[str, Any], cycle_id: int | None, promotion_cycles: int
) -> dict[str, Any]:
    """Promote the cost-benefit winner where the rule allows; store and return what happened."""
    name, best, incumbent = answer["responsibility"], answer["best"], answer["incumbent"]
    outcome: dict[str, Any] = {"action": "keep", "model": incumbent, "previous": None}
    if best is None:
        outcome["why"] = "no eligible model with enough evidence to choose"
    elif incumbent is None or not _may_serve(db, incumbent):
        why = (
            "first model chosen for this responsibility"
            if incumbent is None
            else f"incumbent {incumbent} may no longer serve"
        )
        outcome = _promote(db, answer, best, incumbent, why, cycle_id)
    elif best == incumbent:
        outcome["why"] = f"incumbent {incumbent} is still the best"
    else:
        clean, stopped = clean_cycles(db, best, answer["model_type"])
        if clean >= promotion_cycles:
            why = (
                f"{best} beats {incumbent} by cost-benefit after {clean} consecutive "
                "evaluated cycles without a regression"
            )
            outcome = _promote(db, answer, best, incumbent, why, cycle_id)
        else:
            outcome["why"] = (
                f"{best} is better by cost-benefit but has {clean} of "
                f"{promotion_cycles} clean evaluated cycles ({stopped}); "
                f"{incumbent} stays"
            )
            outcome["blocked"] = best
    if outcome["action"] == "keep":
        record(
            db,
            cycle_id,
            name,
            "keep",
            outcome["model"],
            None,
            {"why": outcome["why"], "reasons": answer["reasons"]},
        )
    return outcome


def _may_serve(db: Database, name: str) -> bool:
    entry = get_model(db, name)
    return entry is not None and blocked_reason(entry) is None


def _promote(db, answer, model, previous, why, cycle_id) -> dict[str, Any]:
    name = answer["responsibility"]
    with db.session() as session:
        row = session.get(Incumbent, name)
        if row is None:
            row = Incumbent(responsibility=name, model_type=answer["model_type"], model=model)
        row.model, row.previous = model, previous
        session.add(row)
    _set_statuses(db, model, previous)
    record(
        db, cycle_id, name, "promote", model, previous, {"why": why, "reasons": answer["reasons"]}
    )
    record_event(
        db,
        "model.promoted",
        f"{model} now serves {name}"
        + (f" (replacing {previous})" if previous else "")
        + f": {why}",
        cycle_id=cycle_id,
        stage="select",
        responsibility=name,
        model=model,
        previous=previous,
        why=why,
    )
    return {"action": "promote", "model": model, "previous": previous, "why": why}


def _set_statuses(db: Database, new: str, old: str | None) -> None:
    entry = get_model(db, new)
    if entry is not None and entry.status == "candidate":
        set_status(db, new, "incumbent")
    if old is None:
        return
    with db.session() as session:
        still = session.exec(select(Incumbent).where(Incumbent.model == old)).first()
    entry = get_model(db, old)
    if still is None and entry is not None and entry.status == "incumbent":
        set_status(db, old, "candidate")


def rollback(db: Database, responsibility: str) -> dict[str, Any]:
    """Put the previous model of a responsibility back; the current one becomes `previous`."""
    with db.session() as session:
        row = session.get(Incumbent, responsibility)
        if row is None or row.previous is None:
            raise ModelforgeError(
                f"responsibility '{responsibility}' has no earlier model to roll back to"
            )
        current, previous = row.model, row.previous
    entry = get_model(db, previous)
    if entry is None or blocked_reason(entry) is not None:
        why = "it is no longer registered" if entry is None else blocked_reason(entry)
        raise ModelforgeError(f"cannot roll back {responsibility} to {previous}: {why}")
    with db.session() as session:
        row = session.get(Incumbent, responsibility)
        row.model, row.previous = previous, current
        session.add(row)
    _set_statuses(db, previous, current)
    why = f"rolled back by hand from {current}"
    record(db, None, responsibility, "rollback", previous, current, {"why": why})
    record_event(
        db,
        "model.rolled_back",
        f"{previous} serves {responsibility} again (rolled back from {current})",
        responsibility=responsibility,
        model=previous,
        previous=current,
    )
    return {"responsibility": responsibility, "model": previous, "previous": current}
