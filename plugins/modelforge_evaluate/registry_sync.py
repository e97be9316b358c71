"""Bring the trainers' artifacts into the model registry, and retire models the rules outgrew.

The trainers write `rlvr_model` artifacts and leave registering to this plugin: each becomes a
local candidate named `<type>/cycle-<N>/rlvr`. Only the final RLVR artifact is registered; the
SRL one in between is not a model to serve (it would only be listed as "must be retrained").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from modelforge.db import Database
from modelforge.events import record_event
from modelforge.models import Artifact, ModelEntry
from modelforge.modeltype import ModelType
from modelforge.registry import get_model, list_models, register_model, set_status

RLVR_KIND = "rlvr_model"
LIVE = ("candidate", "incumbent")
SMALL_PARAMETERS = 1_000_000_000  # below: small; above: mid


def model_name(artifact: Artifact) -> str:
    where = (
        f"cycle-{artifact.cycle_id}" if artifact.cycle_id is not None else f"artifact-{artifact.id}"
    )
    return f"{artifact.model_type}/{where}/rlvr"


def tier_of(lineage: dict[str, Any], path: str | None) -> str:
    """tiny for the embedded base; small or mid by the parameter count in the base's config."""
    base = (lineage.get("base_model") or {}).get("name") or ""
    if base.startswith("embedded"):
        return "tiny"
    config = _config_json(path)
    if config is None:
        return "small"
    hidden = config.get("hidden_size", 0)
    layers = config.get("num_hidden_layers", 0)
    vocab = config.get("vocab_size", 0)
    parameters = 12 * layers * hidden * hidden + vocab * hidden  # a transformer's usual estimate
    return "small" if parameters < SMALL_PARAMETERS else "mid"


def _config_json(path: str | None) -> dict[str, Any] | None:
    if not path:
        return None
    folder = Path(path)
    adapter = folder / "adapter_config.json"
    if adapter.exists():
        base = json.loads(adapter.read_text()).get("base_model_name_or_path")
        folder = Path(base) if base else folder
    config = folder / "config.json"
    return json.loads(config.read_text()) if config.exists() else None


def sync_artifacts(db: Database, model_type: str) -> list[str]:
    """Register every rlvr_model artifact of the type not yet in the registry; their names."""
    with db.session() as session:
        known = set(
            session.exec(
                select(ModelEntry.artifact_id).where(col(ModelEntry.artifact_id).is_not(None))
            ).all()
        )
        artifacts = session.exec(
            select(Artifact)
            .where(Artifact.model_type == model_type, Artifact.kind == RLVR_KIND)
            .order_by(col(Artifact.id))
        ).all()
    registered = []
    for artifact in artifacts:
        if artifact.id in known:
            continue
        name = model_name(artifact)
        if get_model(db, name) is not None:
            name = f"{name}-{artifact.id}"
        lineage = artifact.lineage or {}
        register_model(
            db,
            name,
            "local",
            model_type=model_type,
            tier=tier_of(lineage, artifact.path),
            path=artifact.path,
            base=(lineage.get("base_model") or {}).get("name"),
            adapter=lineage.get("format") == "peft-adapter",
            artifact_id=artifact.id,
            lineage=lineage,
        )
        registered.append(name)
    return registered


def retire_outdated(db: Database, model_type: ModelType, cycle_id: int | None) -> list[str]:
    """Mark local models trained on an older rules version stale; record `rules.changed`."""
    outdated = [
        entry
        for entry in list_models(db, model_type.name)
        if entry.kind == "local"
        and entry.status in LIVE
        and entry.lineage.get("rules_version") not in (None, model_type.rules.version)
    ]
    for entry in outdated:
        set_status(db, entry.name, "stale")
    if outdated:
        names = [entry.name for entry in outdated]
        record_event(
            db,
            "rules.changed",
            f"{model_type.name} rules are now {model_type.rules.version}: "
            f"{len(names)} model(s) trained on older rules marked stale",
            cycle_id=cycle_id,
            model_type=model_type.name,
            rules_version=model_type.rules.version,
            stale=names,
        )
    return [entry.name for entry in outdated]
