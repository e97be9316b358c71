"""Replace a file's bytes so that a crash leaves either the old file or the new one, whole."""

from __future__ import annotations

import stat
from pathlib import Path

from modelforge.artifacts import TargetExists, atomic_write_bytes


class ChangedOnDisk(Exception):
    """The file is no longer what was audited; writing would lose someone's edit."""


class ReadOnly(Exception):
    """The file's mode has no write bit: its owner said read-only, so it is not replaced."""


def refuse_read_only(path: Path) -> None:
    """Raise ReadOnly when path exists with no write bit in its mode.

    The mode, not os.access: root may write anything (and a rename over the file needs only
    the folder), but the owner said read-only. A missing file passes.
    """
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if not mode & 0o222:
        raise ReadOnly(f"read-only (mode {mode:04o})")


def replace_bytes(path: Path, data: bytes, expected: bytes | None) -> None:
    """Write data to path atomically and durably (the core's atomic_write_bytes); keep its mode.

    expected is what the file held when it was read (None for a new file); if it holds
    something else now, nothing is written and ChangedOnDisk is raised. A read-only file
    (see refuse_read_only) is never replaced: ReadOnly is raised.
    """
    refuse_read_only(path)
    current = path.read_bytes() if path.exists() else None
    if current != expected:
        raise ChangedOnDisk(f"{path} changed while it was being audited; left as it is")
    try:
        atomic_write_bytes(path, data, replace_file=current is not None)
    except TargetExists:  # a new file that someone else created meanwhile
        raise ChangedOnDisk(f"{path} changed while it was being audited; left as it is") from None
