"""Trained models as artifacts: written atomically in standard HF format, registered with
lineage, and found again by the next stage of the same cycle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from modelforge.artifacts import atomic_path
from modelforge.db import Database
from modelforge.models import Artifact
from modelforge.registry import LINEAGE_FILE, trained_through_srl_rlvr

SRL_KIND = "srl_model"
RLVR_KIND = "rlvr_model"


def save_model(model, tokenizer, target: Path, lineage: dict[str, Any]) -> Path:
    """Full weights, or only the adapter for a peft model, with the tokenizer and lineage."""
    with atomic_path(target) as scratch:
        model.save_pretrained(scratch)
        tokenizer.save_pretrained(scratch)
        (scratch / LINEAGE_FILE).write_text(json.dumps(lineage, indent=2, default=str))
    return target


def artifact_dir(data_dir: Path, model_type: str, cycle_id: int, kind: str) -> Path:
    return data_dir / "models" / model_type / f"cycle-{cycle_id}" / kind


def latest_of_cycle(db: Database, cycle_id: int, kind: str) -> Artifact | None:
    with db.session() as session:
        return session.exec(
            select(Artifact)
            .where(Artifact.cycle_id == cycle_id, Artifact.kind == kind)
            .order_by(col(Artifact.id).desc())
        ).first()


def must_be_retrained(kind: str, lineage: dict[str, Any] | None) -> bool:
    """A trained model counts only if it came through SRL then RLVR."""
    return kind in (SRL_KIND, RLVR_KIND) and not trained_through_srl_rlvr(lineage)
