"""Artifacts: files written atomically under the data directory and registered with lineage."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from modelforge.db import Database
from modelforge.events import jsonable
from modelforge.models import Artifact


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target; on success it is renamed onto target.

    Works for a file or a folder (a checkpoint). On error the temporary is removed and
    target is left as it was, so a crash never leaves a half-written artifact.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    temporary = scratch / target.name
    try:
        yield temporary
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        os.replace(temporary, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def checksum(path: Path) -> tuple[str, int]:
    """sha256 and size of a file, or of a folder's files taken in sorted relative order."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    size = 0
    for file in files:
        if path.is_dir():
            digest.update(file.relative_to(path).as_posix().encode() + b"\0")
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
                size += len(block)
    return digest.hexdigest(), size


def register_artifact(
    db: Database,
    path: Path,
    kind: str,
    lineage: dict[str, Any],
    *,
    model_type: str | None = None,
    cycle_id: int | None = None,
    stage_run_id: int | None = None,
) -> Artifact:
    """Record an existing file or folder with its checksum and where it came from."""
    if not path.exists():
        raise FileNotFoundError(f"artifact {path} does not exist")
    digest, size = checksum(path)
    artifact = Artifact(
        path=str(path),
        kind=kind,
        model_type=model_type,
        cycle_id=cycle_id,
        stage_run_id=stage_run_id,
        checksum=digest,
        size_bytes=size,
        lineage=jsonable(lineage),
    )
    with db.session() as session:
        session.add(artifact)
        session.flush()
        session.refresh(artifact)
    return artifact
