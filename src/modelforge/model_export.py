"""`models export`: a registered model (a LoRA adapter merged into its base, or full weights)
written where other runtimes load it: one GGUF file with an Ollama Modelfile beside it, or a
merged Hugging Face folder. Every export is an artifact with the file's sha256 and lineage
back to the model it came from.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import select

from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.gguf_export import TYPES, ExportRefused
from modelforge.models import Artifact, StageRun

FORMATS = ("gguf", "hf")
EXPORTS_DIR = "exports"  # under the data directory, when --out is not given
ARTIFACT_KINDS = {"gguf": "gguf_export", "hf": "hf_export"}


@dataclass(frozen=True)
class Source:
    """The model to export as the registry (or the bases folder) knows it."""

    name: str
    path: Path
    adapter: bool
    artifact_id: int | None
    model_type: str | None
    base: str | None
    lineage: dict[str, Any]


def find_source(db: Database, data_dir: Path, name: str) -> Source:
    """The registered local model NAME, or the base of that name under the data directory."""
    from modelforge.hf_models import imported_base, is_adapter
    from modelforge.registry import get_model

    entry = get_model(db, name)
    if entry is None:
        folder = imported_base(name, data_dir)
        if folder is None:
            raise ModelforgeError(f"no model or base named '{name}' (see `modelforge models list`)")
        return Source(name, folder, False, None, None, None, {"base": True})
    if entry.kind != "local" or not entry.path:
        raise ModelforgeError(f"model '{name}' is a {entry.kind} model: no local weights to export")
    if _still_training(db, entry.artifact_id):
        raise ModelforgeError(f"model '{name}' is still training; export it once its stage is done")
    path = Path(entry.path)
    if not path.is_dir():
        raise ModelforgeError(f"model '{name}' has no weights at {path}")
    return Source(
        name,
        path,
        entry.adapter or is_adapter(path),
        entry.artifact_id,
        entry.model_type,
        entry.base,
        dict(entry.lineage or {}),
    )


def _still_training(db: Database, artifact_id: int | None) -> bool:
    """Whether a training stage of the cycle that made the artifact is running now."""
    if artifact_id is None:
        return False
    with db.read_session() as session:
        artifact = session.get(Artifact, artifact_id)
        if artifact is None or artifact.cycle_id is None:
            return False
        running = session.exec(
            select(StageRun).where(
                StageRun.cycle_id == artifact.cycle_id, StageRun.status == "running"
            )
        ).all()
    return any(run.stage.startswith("train") for run in running)


def file_stem(name: str) -> str:
    """A file name for a registry name: `arith/cycle-3/rlvr` → `arith-cycle-3-rlvr`."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "model"


def export(
    db: Database,
    data_dir: Path,
    name: str,
    fmt: str = "gguf",
    quant_type: str = "f16",
    out: Path | None = None,
    *,
    force: bool = False,
    register: bool = False,
) -> dict[str, Any]:
    """Export NAME and record it; ModelforgeError (one line) when it cannot, nothing written.
    With `register` a GGUF export also enters the registry as `NAME-gguf-TYPE`, which `serve`
    answers with through llama.cpp."""
    if fmt not in FORMATS:
        raise ModelforgeError(f"format '{fmt}' is not one of {', '.join(FORMATS)}")
    if quant_type not in TYPES:
        raise ModelforgeError(f"type '{quant_type}' is not one of {', '.join(TYPES)}")
    source = find_source(db, data_dir, name)
    stem = file_stem(name)
    suffix = f"-{quant_type}" if fmt == "gguf" else ""
    folder = Path(out).expanduser() if out else Path(data_dir) / EXPORTS_DIR / f"{stem}{suffix}"
    targets = [folder / f"{stem}.gguf", folder / "Modelfile"] if fmt == "gguf" else [folder / stem]
    for target in targets:
        _refuse_existing(target, force)
    started = time.monotonic()
    model, tokenizer = _merged(source, data_dir)
    if fmt == "gguf":
        from modelforge.gguf_export import check_architecture

        check_architecture(model.config)
        written = _write_gguf(model, tokenizer, source, targets, quant_type, force)
    else:
        written = _write_hf(model, tokenizer, source, targets[0])
    done = _record(db, source, fmt, quant_type, targets, written, time.monotonic() - started)
    if register and fmt == "gguf":
        done["registered"] = _register(db, source, quant_type, done)
    return done


def _register(db: Database, source: Source, quant_type: str, done: dict[str, Any]) -> str:
    """The GGUF file as a registry model: the same training lineage, in another runtime."""
    from modelforge.registry import register_model

    name = f"{source.name}-gguf-{quant_type}"
    lineage = {**source.lineage, "exported_from": source.name, "format": "gguf", "type": quant_type}
    register_model(
        db,
        name,
        "local",
        model_type=source.model_type,
        path=done["path"],
        artifact_id=done["artifact_id"],
        lineage=lineage,
    )
    return name


def _refuse_existing(target: Path, force: bool) -> None:
    from modelforge.artifacts import MARKER

    if target.is_dir() and not target.is_symlink() and not (target / MARKER).is_file():
        raise ExportRefused(
            f"{target} is a folder modelforge did not write; refusing to replace it"
        )
    if target.exists() and not force:
        raise ExportRefused(f"{target} already exists; pass --force to replace it")


def _merged(source: Source, data_dir: Path):
    """(model, tokenizer) in float32 with any adapter merged into its base's weights."""
    from modelforge.hf_models import load_causal_lm

    model, tokenizer = load_causal_lm(str(source.path), data_dir=data_dir, dtype="float32")
    if source.adapter:
        model = model.merge_and_unload()
    model.eval()
    return model, tokenizer


def _write_gguf(model, tokenizer, source: Source, targets, quant_type: str, force: bool):
    from modelforge.artifacts import atomic_path, atomic_write_text
    from modelforge.gguf_export import write_gguf
    from modelforge.ollama_modelfile import modelfile

    gguf_file, model_file = targets
    with atomic_path(gguf_file, replace_file=force) as scratch:
        written = write_gguf(model, tokenizer, scratch, quant_type, source.name)
    text = modelfile(
        gguf_file.name,
        source.name,
        tokenizer,
        model.config.max_position_embeddings,
        source.lineage,
    )
    atomic_write_text(model_file, text, replace_file=force)
    return written


def _write_hf(model, tokenizer, source: Source, target: Path) -> dict[str, Any]:
    import json

    from modelforge.artifacts import atomic_path
    from modelforge.registry import LINEAGE_FILE

    with atomic_path(target) as scratch:
        model.save_pretrained(scratch)
        tokenizer.save_pretrained(scratch)
        lineage = {**source.lineage, "exported_from": source.name, "merged_adapter": source.adapter}
        (scratch / LINEAGE_FILE).write_text(json.dumps(lineage, indent=2, default=str))
    return {"parameters": int(model.num_parameters())}


def _record(db, source: Source, fmt, quant_type, targets, written, seconds) -> dict[str, Any]:
    from modelforge.artifacts import register_artifact
    from modelforge.events import record_event

    lineage = {
        "from_model": source.name,
        "from_artifact": source.artifact_id,
        "from_path": str(source.path),
        "base": source.base,
        "merged_adapter": source.adapter,
        "format": fmt,
        "type": quant_type if fmt == "gguf" else None,
        "source_lineage": source.lineage,
    }
    artifact = register_artifact(
        db, targets[0], ARTIFACT_KINDS[fmt], lineage, model_type=source.model_type
    )
    record_event(
        db,
        "model.exported",
        f"model {source.name} exported as {fmt} to {targets[0]}",
        model=source.name,
        artifact_id=artifact.id,
    )
    return {
        "model": source.name,
        "format": fmt,
        "type": lineage["type"],
        "path": str(targets[0]),
        "modelfile": str(targets[1]) if fmt == "gguf" else None,
        "sha256": artifact.checksum,
        "size_bytes": artifact.size_bytes,
        "artifact_id": artifact.id,
        "merged_adapter": source.adapter,
        "seconds": round(seconds, 1),
        **written,
    }
