"""Whether the task PATHs changed since the last audit stage, so that the audit runs once for
them, not once per model type: every type's cycle would otherwise audit and report the same
files again.

The fingerprint covers the `[audit]` settings and every task file under the PATHs (name and
bytes); it is kept in the `audit.summary` event the stage records.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlmodel import col, select

from modelforge.db import Database
from modelforge.models import Event
from modelforge_audit.settings import AuditSettings
from modelforge_audit.tree import walk

SUMMARY_EVENT = "audit.summary"


@dataclass
class LastAudit:
    cycle_id: int | None
    fingerprint: str
    report: str | None


def fingerprint(settings: AuditSettings) -> str:
    """A digest of the settings and of every task file the audit of settings.paths reads."""
    digest = hashlib.sha256(settings.model_dump_json().encode())
    for given in settings.paths:
        found = walk(given, settings.include, [f"*{settings.archive_suffix}.*"])
        digest.update(f"\0path\0{given}".encode())
        for task_file in found.files:
            digest.update(f"\0file\0{task_file.shown}\0".encode())
            try:
                digest.update(hashlib.sha256(task_file.real.read_bytes()).digest())
            except OSError as exc:
                digest.update(f"unreadable {exc.errno}".encode())
        digest.update(json.dumps(found.problems, sort_keys=True).encode())
    return digest.hexdigest()


def last_audit(db: Database) -> LastAudit | None:
    """The latest audit stage that recorded a fingerprint, if any."""
    with db.read_session() as session:
        events = session.exec(
            select(Event).where(Event.kind == SUMMARY_EVENT).order_by(col(Event.id).desc())
        )
        for event in events:
            data = event.data or {}
            if data.get("fingerprint"):
                return LastAudit(event.cycle_id, data["fingerprint"], data.get("report"))
    return None
