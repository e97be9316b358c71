"""The model registry: every model that can answer, with its lineage, price and measured cost.

Selection chooses among these entries; serving and provider fine-tuning add to them.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import col, select

from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.events import jsonable, record_event
from modelforge.models import ModelEntry, utcnow

KINDS = ("local", "remote", "prompted")
SRL_RLVR_STAGES = ["srl", "rlvr"]
LINEAGE_FILE = "modelforge_lineage.json"  # written beside every trained model folder


def trained_through_srl_rlvr(lineage: dict[str, Any] | None) -> bool:
    """Whether a model's lineage shows SRL then RLVR; anything else must be retrained."""
    return (lineage or {}).get("stages") == SRL_RLVR_STAGES


def register_model(db: Database, name: str, kind: str, **fields: Any) -> ModelEntry:
    """Add a model or update the entry of that name; records `model.registered` when new.

    A local model without SRL→RLVR lineage is registered with status `must_retrain`.
    """
    if kind not in KINDS:
        raise ModelforgeError(f"unknown model kind '{kind}' (one of: {', '.join(KINDS)})")
    unknown = set(fields) - set(ModelEntry.model_fields)
    if unknown:
        raise ModelforgeError(f"unknown model field(s): {', '.join(sorted(unknown))}")
    if "lineage" in fields:
        fields["lineage"] = jsonable(fields["lineage"])
    if kind == "local":
        fields["srl_rlvr"] = trained_through_srl_rlvr(fields.get("lineage"))
        if not fields["srl_rlvr"]:
            fields["status"] = "must_retrain"
    with db.session() as session:
        entry = session.exec(select(ModelEntry).where(ModelEntry.name == name)).first()
        created = entry is None
        if created:
            entry = ModelEntry(name=name, kind=kind)
        entry.kind = kind
        for key, value in fields.items():
            setattr(entry, key, value)
        entry.updated_at = utcnow()
        session.add(entry)
        session.flush()
        session.refresh(entry)
    if created:
        record_event(
            db,
            "model.registered",
            f"model {name} registered ({kind}, {entry.status})",
            model=name,
            model_kind=kind,
            model_type=entry.model_type,
            srl_rlvr=entry.srl_rlvr,
        )
    return entry


def get_model(db: Database, name: str) -> ModelEntry | None:
    with db.read_session() as session:
        return session.exec(select(ModelEntry).where(ModelEntry.name == name)).first()


def list_models(db: Database, model_type: str | None = None) -> list[ModelEntry]:
    with db.read_session() as session:
        query = select(ModelEntry).order_by(col(ModelEntry.id))
        if model_type is not None:
            query = query.where(ModelEntry.model_type == model_type)
        return list(session.exec(query).all())


def set_status(db: Database, name: str, status: str) -> None:
    with db.session() as session:
        entry = session.exec(select(ModelEntry).where(ModelEntry.name == name)).one()
        entry.status = status
        entry.updated_at = utcnow()


def record_usage(
    db: Database, name: str, latency_ms: float, tokens: int, cpu_seconds: float | None = None
) -> None:
    """Fold one served request into the model's measured latency and cost (running means)."""
    with db.session() as session:
        entry = session.exec(select(ModelEntry).where(ModelEntry.name == name)).first()
        if entry is None:
            raise ModelforgeError(f"no model named '{name}' in the registry")
        count = entry.requests + 1
        previous = entry.latency_ms if entry.latency_ms is not None else latency_ms
        entry.latency_ms = previous + (latency_ms - previous) / count
        if cpu_seconds is not None and tokens:
            total_tokens = entry.tokens + tokens
            spent = (entry.cpu_seconds_per_1k_tokens or 0.0) * entry.tokens / 1000 + cpu_seconds
            entry.cpu_seconds_per_1k_tokens = spent / total_tokens * 1000
        entry.requests = count
        entry.tokens += tokens
        entry.updated_at = utcnow()


def record_measurement(
    db: Database, name: str, *, latency_ms: float, cpu_seconds_per_1k_tokens: float | None
) -> None:
    """Set a local model's cost and latency from an evaluation, until serving has measured them.

    Evaluation generates in batches, so its figures are estimates; once a request has been
    served (record_usage) the served figures are kept.
    """
    with db.session() as session:
        entry = session.exec(select(ModelEntry).where(ModelEntry.name == name)).first()
        if entry is None:
            raise ModelforgeError(f"no model named '{name}' in the registry")
        if entry.requests:
            return
        entry.latency_ms = latency_ms
        entry.cpu_seconds_per_1k_tokens = cpu_seconds_per_1k_tokens
        entry.updated_at = utcnow()
