"""Only adapters trained through SRL then RLVR are served; registry and folder must agree."""

from __future__ import annotations

import json
from pathlib import Path

from modelforge.models import ModelEntry
from modelforge.registry import LINEAGE_FILE, trained_through_srl_rlvr
from modelforge_serve.openai_errors import ApiError


def folder_lineage(path: str) -> dict | None:
    try:
        return json.loads((Path(path) / LINEAGE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def check_adapter_lineage(entry: ModelEntry) -> None:
    """ApiError(403) unless the registry and the adapter's own lineage file both show SRL→RLVR."""
    if not entry.srl_rlvr:
        raise _refused(entry.name, "the registry records no SRL→RLVR lineage")
    found = folder_lineage(entry.path or "")
    if found is None:
        raise _refused(entry.name, f"{LINEAGE_FILE} is missing or unreadable in {entry.path}")
    if not trained_through_srl_rlvr(found):
        raise _refused(
            entry.name,
            f"its {LINEAGE_FILE} has stages {found.get('stages')!r}, not ['srl', 'rlvr']",
        )


def _refused(name: str, why: str) -> ApiError:
    return ApiError(
        403,
        f"adapter '{name}' is refused: {why}; only adapters trained through "
        "SRL then RLVR are served (retrain it with `modelforge train`)",
        code="lineage_refused",
    )
