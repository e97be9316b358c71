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
from modelforge.errors import ModelforgeError
from modelforge.events import jsonable
from modelforge.models import Artifact

MARKER = ".modelforge-artifact"  # in every folder atomic_path writes: "this one is ours"


class TargetExists(ModelforgeError):
    """The path to write already holds something modelforge may not replace; nothing was
    removed."""


def _refuse_unless_replaceable(target: Path, shown: Path, replace_file: bool) -> None:
    if target.is_dir() and not target.is_symlink():
        if not (target / MARKER).is_file():
            raise TargetExists(
                f"{shown} is a folder modelforge did not write; refusing to replace it "
                "(nothing was removed)"
            )
    elif os.path.lexists(target) and not replace_file:
        raise TargetExists(f"{shown} already exists; refusing to overwrite it")


@contextmanager
def atomic_path(target: Path, *, replace_file: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside target; on success it is renamed onto target.

    Works for a file or a folder (a checkpoint). On error the temporary is removed and
    target is left as it was, so a crash never leaves a half-written artifact.

    Every folder written here gets an empty MARKER file, which is how modelforge knows a
    folder as its own: an existing folder is replaced only if it holds MARKER. An existing
    file (or link) is replaced only with replace_file (paths the caller owns, or the user's
    --force). Anything else raises TargetExists before the body runs, and is never removed.
    """
    shown = target
    target = Path(os.path.abspath(target))  # "." and ".." have a name and a parent
    _refuse_unless_replaceable(target, shown, replace_file)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    temporary = scratch / target.name
    try:
        yield temporary
        if temporary.is_dir() and not temporary.is_symlink():
            (temporary / MARKER).touch()
        _refuse_unless_replaceable(target, shown, replace_file)  # it may have appeared since
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif temporary.is_dir() and os.path.lexists(target):
            target.unlink()  # a folder cannot be renamed over a file
        os.replace(temporary, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def atomic_write_bytes(target: Path, data: bytes, *, replace_file: bool = False) -> None:
    """Write data to the file target through atomic_path (same refusals), durably.

    The temporary is synced before the rename and the folder after it, so even a power cut
    leaves the old file or the new one, whole. A replaced file keeps its mode.
    """
    target = Path(target)
    with atomic_path(target, replace_file=replace_file) as temporary:
        with temporary.open("wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if target.is_file():
            shutil.copymode(target, temporary)
    _sync_folder(target.parent)


def atomic_write_text(
    target: Path, text: str, *, replace_file: bool = False, encoding: str = "utf-8"
) -> None:
    """atomic_write_bytes for text."""
    atomic_write_bytes(target, text.encode(encoding), replace_file=replace_file)


def _sync_folder(folder: Path) -> None:
    """Make a rename itself durable (POSIX); platforms that cannot open a folder skip it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def checksum(path: Path) -> tuple[str, int]:
    """sha256 and size of a file, or of a folder's files taken in sorted relative order
    (less atomic_path's MARKER, which is bookkeeping, not content)."""
    digest = hashlib.sha256()
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    files = [file for file in files if file != path / MARKER]
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
