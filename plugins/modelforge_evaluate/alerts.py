"""Alerts on a new regression: the [track] alert command and webhook, once each.

A failing alert is logged (delivery log and a `track.alert_failed` event), never fatal.
"""

from __future__ import annotations

from typing import Any

from modelforge.db import Database
from modelforge.events import record_event
from modelforge_evaluate.delivery import deliver
from modelforge_evaluate.settings import TrackSettings


def alert(db: Database, settings: TrackSettings, payload: dict[str, Any],
          cycle_id: int | None) -> list[dict[str, Any]]:
    """Call each configured alert target; what happened to each."""
    outcomes = []
    for target in (settings.alert_command, settings.alert_webhook):
        if not target:
            continue
        row = deliver(db, target, "alert.regression", payload, retries=0, backoff=0,
                      timeout=settings.alert_timeout_seconds)
        outcomes.append({"target": row.target, "status": row.status, "error": row.error})
        if row.status == "failed":
            record_event(db, "track.alert_failed", f"regression alert to {row.target} failed: "
                         f"{row.error}", level="warning", cycle_id=cycle_id, stage="track",
                         target=row.target, error=row.error)
    return outcomes
