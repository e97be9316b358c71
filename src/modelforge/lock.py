"""One runner per data directory: an flock on a pid file, released by the kernel on death.

The file holds the runner's pid and what it is (`daemon`, `run --once`, `train`), so that
`status` can tell a daemon from a one-shot command."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from typing import Self

from modelforge.errors import AlreadyRunning

LOCK_NAME = "modelforge.pid"


class DataDirLock:
    def __init__(self, data_dir: Path, command: str = "run"):
        self.data_dir = data_dir
        self.command = command
        self.path = data_dir / LOCK_NAME
        self._fd: int | None = None

    def acquire(self, attempts: int = 5) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        for attempt in range(attempts):  # a status probe may hold the lock for an instant
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if attempt == attempts - 1:
                    pid, command = _read(fd)
                    os.close(fd)
                    raise AlreadyRunning(
                        f"another modelforge process ({command or 'modelforge'}, pid "
                        f"{pid or 'unknown'}) is already running on {self.data_dir}"
                    ) from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n{self.command}\n".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Self:
        self.acquire()
        return self

    def __exit__(self, *exc_info) -> None:
        self.release()


def holder(data_dir: Path) -> int | None:
    """The pid of the process holding the lock, or None when nobody runs on data_dir."""
    found = holding(data_dir)
    return found[0] if found else None


def holding(data_dir: Path) -> tuple[int | None, str] | None:
    """(pid, what it is) of the process holding the lock, or None when nobody runs."""
    path = data_dir / LOCK_NAME
    if not path.exists():
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(fd)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read(fd: int) -> tuple[int | None, str]:
    pid, _, command = os.pread(fd, 256, 0).decode(errors="replace").partition("\n")
    pid = pid.strip()
    return (int(pid) if pid.isdigit() else None), command.strip() or "run"
