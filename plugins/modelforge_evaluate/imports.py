"""`models import`: register a model or adapter trained elsewhere so it is tracked and flagged.

Whatever lineage file the folder carries is kept as `source_lineage` but never trusted: an
imported model did not go through this project's SRL→RLVR stages, so it must be retrained.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.registry import LINEAGE_FILE, get_model, register_model

LINEAGE_FILES = (LINEAGE_FILE, "lineage.json")


def import_model(db: Database, path: Path, name: str | None,
                 model_type: str | None) -> dict[str, Any]:
    folder = path.resolve()
    adapter_config = folder / "adapter_config.json"
    if not adapter_config.exists() and not (folder / "config.json").exists():
        raise ModelforgeError(f"{folder} holds no config.json or adapter_config.json: not a "
                              "Hugging Face model or peft adapter folder")
    name = name or f"imported/{folder.name}"
    if get_model(db, name) is not None:
        raise ModelforgeError(f"a model named '{name}' is already registered (use --name)")
    base = None
    if adapter_config.exists():
        base = json.loads(adapter_config.read_text()).get("base_model_name_or_path")
    source = next((folder / f for f in LINEAGE_FILES if (folder / f).exists()), None)
    lineage = {"imported_from": str(folder),
               "source_lineage": json.loads(source.read_text()) if source else None}
    entry = register_model(db, name, "local", model_type=model_type, path=str(folder),
                           base=base, adapter=adapter_config.exists(), lineage=lineage,
                           status="must_retrain")
    return {"name": entry.name, "path": entry.path, "adapter": entry.adapter,
            "model_type": entry.model_type, "status": entry.status, "base": entry.base}
