"""Rules versions over time: notice a type's new rules, mark what was trained on the old stale.

The version each type was last seen with lives in the event log: `rules.recorded` the first
time a type is seen, `rules.changed` (type, old, new) on every change, each carrying the rules
data, so `rules diff --version` can show any version seen before. A stale artifact keeps its
lineage and gains `lineage["stale"]` (old and new version, when, why).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import col, select

from modelforge import control
from modelforge.db import Database
from modelforge.events import record_event
from modelforge.models import Artifact, Event, utcnow
from modelforge.modeltype import ModelType
from modelforge.plugins import model_types

RECORDED = "rules.recorded"
CHANGED = "rules.changed"


@dataclass(frozen=True)
class Seen:
    """One version of a type's rules as the event log recorded it."""

    kind: str  # RECORDED or CHANGED
    version: str
    data: dict[str, Any]
    ts: Any


def history(db: Database, model_type: str) -> list[Seen]:
    """Every version recorded for the type, oldest first."""
    with db.session() as session:
        events = session.exec(
            select(Event).where(col(Event.kind).in_((RECORDED, CHANGED))).order_by(col(Event.id))
        ).all()
    return [
        Seen(e.kind, e.data["new"], e.data.get("rules") or {}, e.ts)
        for e in events
        if (e.data or {}).get("type") == model_type
    ]


def _trained_versions(db: Database, model_type: str) -> list[str]:
    with db.session() as session:
        artifacts = session.exec(
            select(Artifact).where(Artifact.model_type == model_type).order_by(col(Artifact.id))
        ).all()
    return [
        a.lineage["rules_version"]
        for a in artifacts
        if a.lineage.get("rules_version") and not a.lineage.get("stale")
    ]


def mark_stale(db: Database, model_type: str, old: str, new: str) -> list[int]:
    """Mark the type's artifacts not trained under `new` stale; return their ids."""
    marked = []
    with db.session() as session:
        artifacts = session.exec(select(Artifact).where(Artifact.model_type == model_type)).all()
        for artifact in artifacts:
            lineage = artifact.lineage or {}
            if lineage.get("stale") or lineage.get("rules_version") == new:
                continue
            stale = {"reason": "rules changed", "old": old, "new": new, "at": utcnow().isoformat()}
            artifact.lineage = {**lineage, "stale": stale}  # a new dict: the JSON column sees it
            session.add(artifact)
            marked.append(artifact.id)
    return marked


def check(
    db: Database, model_type: ModelType, *, cycle_id: int | None = None, queue_retraining: bool
) -> dict[str, Any] | None:
    """Compare the type's rules version with the one recorded; on a change, act and report it.

    The first time a type is seen its version is recorded; if artifacts were trained under
    another version by then, that counts as a change. queue_retraining asks the daemon for a
    cycle (`run_now`); a cycle that notices the change itself retrains in its own stages.
    """
    name, current = model_type.name, model_type.rules.version
    seen = history(db, name)
    if seen:
        old = seen[-1].version
    else:
        older = [v for v in _trained_versions(db, name) if v != current]
        if not older:
            record_event(
                db,
                RECORDED,
                f"{name}: rules {current} recorded",
                cycle_id=cycle_id,
                type=name,
                new=current,
                rules=model_type.rules.data,
            )
            return None
        old = older[-1]
    if old == current:
        return None
    stale = mark_stale(db, name, old, current)
    retraining = "queued" if queue_retraining else "this cycle"
    if queue_retraining:
        control.request(db, "run_now", name)
    record_event(
        db,
        CHANGED,
        f"{name}: rules {old} -> {current}; {len(stale)} artifact(s) stale; retrain {retraining}",
        level="warning",
        cycle_id=cycle_id,
        type=name,
        old=old,
        new=current,
        stale_artifacts=stale,
        rules=model_type.rules.data,
    )
    return {
        "type": name,
        "old": old,
        "new": current,
        "stale_artifacts": stale,
        "retraining": retraining,
    }


def cycle_check(model_type: str, cycle_id: int, db: Database, plugins) -> dict[str, Any] | None:
    """The cycle side of the watch: a change of rules is recorded, and this cycle retrains."""
    model = model_types(plugins).get(model_type)
    if model is None:
        return None
    return check(db, model, cycle_id=cycle_id, queue_retraining=False)
