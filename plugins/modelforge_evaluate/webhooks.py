"""Lifecycle events to the configured webhooks and commands, so other systems can follow.

The event log is the source: each target has a cursor (the last event offered to it), so an
event is sent once, whichever plugin or process recorded it. A target seen for the first time
starts at the beginning of the current cycle (or now, outside a cycle).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from modelforge.db import Database
from modelforge.models import Cycle, Event
from modelforge_evaluate.contract import REGRESSION_EVENT
from modelforge_evaluate.delivery import deliver
from modelforge_evaluate.settings import WebhooksSettings
from modelforge_evaluate.tables import WebhookCursor

# event-log kind -> lifecycle event name; train_rlvr finishing is "training complete"
KINDS = {
    "model.registered": "model.registered",
    "model.promoted": "model.promoted",
    "model.rolled_back": "model.rolled_back",
    REGRESSION_EVENT: "regression.detected",
    "rules.changed": "rules.changed",
}


def lifecycle_name(event: Event) -> str | None:
    if event.kind == "stage.done" and event.stage == "train_rlvr":
        return "training.complete"
    return KINDS.get(event.kind)


def payload(name: str, event: Event) -> dict[str, Any]:
    return {
        "event": name,
        "event_id": event.id,
        "ts": event.ts.isoformat(),
        "message": event.message,
        "cycle_id": event.cycle_id,
        "stage": event.stage,
        "data": event.data or {},
    }


def _start(session, cycle_id: int | None) -> int:
    """Where a new target's cursor starts: just before the current cycle's first event."""
    if cycle_id is not None:
        cycle = session.get(Cycle, cycle_id)
        if cycle is not None:
            before = session.exec(
                select(func.max(Event.id)).where(Event.ts < cycle.started_at)).one()
            return before or 0
    return session.exec(select(func.max(Event.id))).one() or 0


def dispatch(db: Database, settings: WebhooksSettings, cycle_id: int | None = None) -> dict[str, int]:
    """Offer every new lifecycle event to every target; counts of delivered and failed."""
    counts = {"delivered": 0, "failed": 0}
    for target in [*settings.urls, *settings.commands]:
        with db.session() as session:
            cursor = session.get(WebhookCursor, target)
            if cursor is None:
                cursor = WebhookCursor(target=target, last_event_id=_start(session, cycle_id))
                session.add(cursor)
            start = cursor.last_event_id
            events = session.exec(
                select(Event).where(Event.id > start).order_by(col(Event.id))).all()
        last = start
        for event in events:
            last = event.id
            name = lifecycle_name(event)
            if name is None or name not in settings.events:
                continue
            row = deliver(db, target, name, payload(name, event), retries=settings.retries,
                          backoff=settings.backoff_seconds, timeout=settings.timeout_seconds,
                          event_id=event.id)
            counts[row.status] += 1
        with db.session() as session:
            cursor = session.get(WebhookCursor, target)
            cursor.last_event_id = last
            session.add(cursor)
    return counts
