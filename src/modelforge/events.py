"""Append to the event log, mirrored to Python logging for the daemon's log file."""

from __future__ import annotations

import json
import logging
from typing import Any

from modelforge.db import Database
from modelforge.models import Event
from modelforge.redact import redact

log = logging.getLogger("modelforge")
_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
}


def jsonable(value: Any) -> Any:
    """A JSON-safe copy of value (anything unknown becomes its str), with secrets redacted."""
    return json.loads(redact(json.dumps(value, default=str)))


def record_event(
    db: Database,
    kind: str,
    message: str,
    *,
    level: str = "info",
    cycle_id: int | None = None,
    stage: str | None = None,
    **data: Any,
) -> None:
    message = redact(message)
    log.log(_LEVELS.get(level, logging.INFO), "%s: %s", kind, message)
    with db.session() as session:
        session.add(
            Event(
                kind=kind,
                message=message,
                level=level,
                cycle_id=cycle_id,
                stage=stage,
                data=jsonable(data) if data else None,
            )
        )
