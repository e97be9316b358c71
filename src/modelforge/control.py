"""Steering the daemon: requests are rows the daemon polls, so any process may ask."""

from __future__ import annotations

from sqlmodel import col, select

from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.events import record_event
from modelforge.models import ControlRequest, utcnow

ACTIONS = ("run_now", "pause", "resume", "cancel")


def request(db: Database, action: str, model_type: str | None = None) -> ControlRequest:
    """Queue a request; the daemon handles it within a couple of seconds."""
    if action not in ACTIONS:
        raise ModelforgeError(f"unknown control action '{action}' (one of: {', '.join(ACTIONS)})")
    if action == "run_now" and not model_type:
        raise ModelforgeError("run_now needs a model type")
    with db.session() as session:
        entry = ControlRequest(action=action, model_type=model_type)
        session.add(entry)
        session.flush()
        session.refresh(entry)
    return entry


def pending(db: Database) -> list[ControlRequest]:
    with db.read_session() as session:
        query = select(ControlRequest).where(ControlRequest.status == "pending")
        return list(session.exec(query.order_by(col(ControlRequest.id))).all())


def recent(db: Database, limit: int = 20) -> list[ControlRequest]:
    with db.read_session() as session:
        query = select(ControlRequest).order_by(col(ControlRequest.id).desc()).limit(limit)
        return list(reversed(session.exec(query).all()))


def settle(db: Database, entry: ControlRequest, status: str, note: str) -> None:
    """Mark a request done or refused, with what happened, and log it."""
    with db.session() as session:
        stored = session.get(ControlRequest, entry.id)
        stored.status = status
        stored.note = note
        stored.handled_at = utcnow()
    level = "info" if status == "done" else "warning"
    record_event(db, f"control.{entry.action}", f"{entry.action}: {status}: {note}", level=level)


def schedule_paused(db: Database) -> bool:
    """Whether the last handled pause/resume was a pause (it outlives daemon restarts)."""
    with db.read_session() as session:
        last = session.exec(
            select(ControlRequest.action)
            .where(
                col(ControlRequest.action).in_(("pause", "resume")),
                ControlRequest.status == "done",
            )
            .order_by(col(ControlRequest.id).desc())
        ).first()
    return last == "pause"
