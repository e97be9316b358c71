"""Which model a type's next cycle trains from: its champion.

The selector knows (the `champion` hook, answered by the plugin that keeps incumbents); with no
selector installed, the newest artifact of the trained kind from a cycle that finished, then the
base. The trainer calls `resolve` and never reads the selector's tables.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from sqlmodel import col, select

from modelforge.db import Database
from modelforge.events import record_event
from modelforge.models import Artifact, Cycle
from modelforge.plugins import Plugins, call
from modelforge.redact import redact


@dataclass(frozen=True)
class Champion:
    """The artifact to start from (None: the base), who chose it and why."""

    artifact: Artifact | None
    source: str  # the plugin that answered, or "core" for the fallback
    why: str


def resolve(plugins: Plugins, db: Database, config, model_type: str, kind: str) -> Champion:
    """Ask the `champion` hook, plugin by plugin, for the first answer; else the newest `kind`
    artifact of a finished cycle; else the base. A plugin that raises is recorded as a
    `plugin.hook_failed` error event and passed over."""
    for impl in plugins.implementations("champion"):
        try:
            answer = call(plugins, "champion", impl, model_type=model_type, db=db, config=config)
        except Exception as exc:  # noqa: BLE001 (isolated, whatever a plugin raises)
            record_event(
                db,
                "plugin.hook_failed",
                redact(
                    f"plugin '{impl.plugin_name}' failed in champion: {type(exc).__name__}: {exc}"
                ),
                level="error",
                traceback=redact(traceback.format_exc()),
            )
            continue
        if answer is None:
            continue
        artifact_id = answer.get("artifact_id")
        why = str(answer.get("why") or "")
        if artifact_id is None:
            return Champion(None, impl.plugin_name, why)
        artifact = artifact_by_id(db, artifact_id)
        if artifact is None:
            why = f"named artifact {artifact_id}, which is not registered: the base"
        return Champion(artifact, impl.plugin_name, why)
    newest = newest_finished(db, model_type, kind)
    if newest is not None:
        why = f"no selector answered: the newest {kind} of a finished cycle"
        return Champion(newest, "core", why)
    return Champion(
        None, "core", "no selector answered and no finished cycle trained one: the base"
    )


def artifact_by_id(db: Database, artifact_id: int) -> Artifact | None:
    with db.session() as session:
        return session.get(Artifact, artifact_id)


def newest_finished(db: Database, model_type: str, kind: str) -> Artifact | None:
    """The newest `kind` artifact of the type whose cycle finished (`done`)."""
    with db.session() as session:
        return session.exec(
            select(Artifact)
            .join(Cycle, col(Cycle.id) == col(Artifact.cycle_id))
            .where(Artifact.model_type == model_type, Artifact.kind == kind, Cycle.status == "done")
            .order_by(col(Artifact.id).desc())
        ).first()
