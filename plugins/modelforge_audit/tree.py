"""Which files an audit of PATH reads: task files below it, never through a link leading out."""

from __future__ import annotations

import errno
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class TaskFile:
    """A file to audit: its name as shown (relative to PATH) and the real file behind it."""

    shown: str  # relative to PATH, with forward slashes
    real: Path  # where a write must go: a link is written through, never replaced


@dataclass
class Walk:
    files: list[TaskFile] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)  # {"file", "message"}


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def walk(given: str, include: list[str], exclude: list[str]) -> Walk:
    """The task files under PATH, in sorted order, each real file once.

    A file named as PATH itself is always read; below a folder, a file is read when its name
    matches an include pattern and no exclude pattern.
    """
    found = Walk()
    top = Path(given).expanduser()
    if not top.exists():
        found.problems.append({"file": given, "message": "no such file or directory"})
        return found
    root = top.resolve()
    if root.is_file():
        found.files.append(TaskFile(top.name, root))
        return found
    _Walker(given.rstrip("/") or "/", root, include, exclude, found).folder(root, {root})
    return found


@dataclass
class _Walker:
    label: str  # PATH as typed, for messages
    root: Path
    include: list[str]
    exclude: list[str]
    found: Walk
    seen: set[Path] = field(default_factory=set)

    def folder(self, folder: Path, visited: set[Path]) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as exc:
            self.problem(folder, f"cannot be listed: {exc.strerror or exc}")
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                real = path.resolve()
            except (RuntimeError, OSError) as exc:  # 3.11 raises RuntimeError, 3.13 ELOOP
                if isinstance(exc, OSError) and exc.errno != errno.ELOOP:
                    self.problem(path, f"cannot be resolved: {exc.strerror or exc}")
                else:
                    self.problem(path, "symbolic link loop; skipped")
                continue
            if not _inside(real, self.root):
                self.problem(path, "link leads outside PATH; not followed")
            elif real.is_dir():
                if real not in visited:  # a link back up the tree would loop forever
                    self.folder(path, visited | {real})
            elif real.is_file() and self.wanted(entry.name) and real not in self.seen:
                self.seen.add(real)
                self.found.files.append(TaskFile(path.relative_to(self.root).as_posix(), real))

    def wanted(self, name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.include) and not any(
            fnmatch.fnmatch(name, pattern) for pattern in self.exclude
        )

    def problem(self, path: Path, message: str) -> None:
        relative = path.relative_to(self.root).as_posix()
        shown = self.label if relative == "." else f"{self.label}/{relative}"
        self.found.problems.append({"file": shown, "message": message})
