"""Notifications out: lifecycle events to the configured webhooks and commands, so other
systems can follow, and the [track] alerts on a new regression.

The event log is the source of the lifecycle webhooks: each target has a cursor (the last event
offered to it), so an event is sent once, whichever plugin or process recorded it. A target seen
for the first time starts at the beginning of the current cycle (or now, outside a cycle).

Both send one JSON payload to a URL (POST) or a shell command (stdin), with retries; every
attempt series ends as one row of the delivery log. A failure is recorded, never raised: a
failing alert is logged (delivery log and a `track.alert_failed` event), never fatal.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from modelforge.db import Database
from modelforge.events import jsonable, record_event
from modelforge.models import Cycle, Event
from modelforge.redact import redact
from modelforge_evaluate.contract import REGRESSION_EVENT
from modelforge_evaluate.settings import TrackSettings, WebhooksSettings
from modelforge_evaluate.tables import WebhookCursor, WebhookDelivery


def is_url(target: str) -> bool:
    return target.startswith(("http://", "https://"))


def send(target: str, payload: dict[str, Any], timeout: float) -> None:
    """One attempt; raises with the reason when the target did not accept the payload."""
    body = json.dumps(payload, default=str).encode()
    if is_url(target):
        request = urllib.request.Request(
            target, data=body, method="POST", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if not 200 <= response.status < 300:
                raise RuntimeError(f"HTTP {response.status}")
        return
    done = subprocess.run(
        target, shell=True, input=body, capture_output=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip()[-200:]
        raise RuntimeError(f"exit status {done.returncode}" + (f": {tail}" if tail else ""))


def deliver(
    db: Database,
    target: str,
    event: str,
    payload: dict[str, Any],
    *,
    retries: int,
    backoff: float,
    timeout: float,
    event_id: int | None = None,
) -> WebhookDelivery:
    """Try 1 + retries times, waiting backoff, 2·backoff, ... between; log how it ended."""
    error, attempts = None, 0
    for attempt in range(retries + 1):
        attempts = attempt + 1
        try:
            send(target, payload, timeout)
            error = None
            break
        except Exception as exc:  # noqa: BLE001 (a hook that fails is logged, never fatal)
            error = f"{type(exc).__name__}: {exc}"
            if attempt < retries:
                time.sleep(backoff * 2**attempt)
    row = WebhookDelivery(
        event_id=event_id,
        event=event,
        target=redact(target),
        status="failed" if error else "delivered",
        attempts=attempts,
        error=redact(error) if error else None,
        payload=jsonable(payload),
    )
    with db.session() as session:
        session.add(row)
        session.flush()
        session.refresh(row)
    return row


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
                select(func.max(Event.id)).where(Event.ts < cycle.started_at)
            ).one()
            return before or 0
    return session.exec(select(func.max(Event.id))).one() or 0


def dispatch(
    db: Database, settings: WebhooksSettings, cycle_id: int | None = None
) -> dict[str, int]:
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
                select(Event).where(Event.id > start).order_by(col(Event.id))
            ).all()
        last = start
        for event in events:
            last = event.id
            name = lifecycle_name(event)
            if name is None or name not in settings.events:
                continue
            row = deliver(
                db,
                target,
                name,
                payload(name, event),
                retries=settings.retries,
                backoff=settings.backoff_seconds,
                timeout=settings.timeout_seconds,
                event_id=event.id,
            )
            counts[row.status] += 1
        with db.session() as session:
            cursor = session.get(WebhookCursor, target)
            cursor.last_event_id = last
            session.add(cursor)
    return counts


def alert(
    db: Database, settings: TrackSettings, payload: dict[str, Any], cycle_id: int | None
) -> list[dict[str, Any]]:
    """Call each configured alert target; what happened to each."""
    outcomes = []
    for target in (settings.alert_command, settings.alert_webhook):
        if not target:
            continue
        row = deliver(
            db,
            target,
            "alert.regression",
            payload,
            retries=0,
            backoff=0,
            timeout=settings.alert_timeout_seconds,
        )
        outcomes.append({"target": row.target, "status": row.status, "error": row.error})
        if row.status == "failed":
            record_event(
                db,
                "track.alert_failed",
                f"regression alert to {row.target} failed: {row.error}",
                level="warning",
                cycle_id=cycle_id,
                stage="track",
                target=row.target,
                error=row.error,
            )
    return outcomes
