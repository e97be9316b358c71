"""An audit of one or more PATHs: every task file read, parsed and classified, read-only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelforge_audit.classify import Classifier, Verdict
from modelforge_audit.markdown import Document, Task, parse
from modelforge_audit.settings import ACTIONS, AuditSettings
from modelforge_audit.source import SourceFile, Unreadable, read
from modelforge_audit.tree import TaskFile, walk


@dataclass
class Finding:
    """A task that needs something done, as the report and the database hold it."""

    root: str  # the PATH given
    file: str  # relative to it
    task_id: str
    title: str
    aliases: list[str]
    line: int  # 1-based
    action: str
    reasons: list[str]
    replacement: list[str]
    marked: bool

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class FileAudit:
    given: str  # the PATH this file was found under
    label: str  # how messages name it: PATH/relative, as the user typed PATH
    task_file: TaskFile
    source: SourceFile
    document: Document
    verdicts: list[tuple[Task, Verdict]]

    def findings(self) -> list[Finding]:
        return [
            Finding(
                self.given,
                self.task_file.shown,
                task.task_id,
                task.title,
                task.aliases,
                task.line + 1,
                verdict.action,
                verdict.reasons,
                verdict.replacement,
                verdict.marked,
            )
            for task, verdict in self.verdicts
            if verdict.action is not None
        ]


@dataclass
class Audit:
    files: list[FileAudit] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)  # {"file", "message"}

    @property
    def findings(self) -> list[Finding]:
        return [finding for audited in self.files for finding in audited.findings()]

    @property
    def nothing_audited(self) -> bool:
        return not self.files

    def summary(self) -> dict[str, Any]:
        findings = self.findings
        counts = Counter(finding.action for finding in findings)
        return {
            "files": len(self.files),
            "tasks": sum(len(audited.verdicts) for audited in self.files),
            "findings": len(findings),
            **{action: counts.get(action, 0) for action in ACTIONS},
            "marked": sum(finding.marked for finding in findings),
            "unmarked_deprecate": sum(f.action == "deprecate" and not f.marked for f in findings),
            "problems": len(self.problems),
        }


def audit_paths(
    paths: list[str],
    settings: AuditSettings,
    progress: Callable[[int, int], None] | None = None,
) -> Audit:
    """Read and classify every task file under paths; problems are collected, not raised."""
    result = Audit()
    classifier = Classifier(settings)
    max_bytes = int(settings.max_file_mb * 1e6)
    for given in paths:
        # Archives written by --archive are history, not tasks to audit (or archive) again.
        found = walk(given, settings.include, [f"*{settings.archive_suffix}.*"])
        result.problems.extend(found.problems)
        if not found.files and not found.problems:
            result.problems.append(
                {
                    "file": given,
                    "message": "no task files found here "
                    f"(looked for {', '.join(settings.include)})",
                }
            )
        folder = Path(given).expanduser().is_dir()
        for number, task_file in enumerate(found.files, 1):
            shown = f"{given.rstrip('/')}/{task_file.shown}" if folder else given
            audited = audit_file(given, shown, task_file, classifier, max_bytes, result.problems)
            if audited is not None:
                result.files.append(audited)
            if progress:
                progress(number, len(found.files))
    return result


def audit_file(
    given: str,
    shown: str,
    task_file: TaskFile,
    classifier: Classifier,
    max_bytes: int,
    problems: list[dict[str, str]],
) -> FileAudit | None:
    """One file's audit, or None with the reason added to problems (shown names the file)."""
    try:
        source = read(task_file.real, max_bytes)
    except Unreadable as why:
        problems.append({"file": shown, "message": str(why)})
        return None
    document = parse(source.text)
    problems.extend(
        {"file": f"{shown}:{line + 1}", "message": message} for line, message in document.problems
    )
    verdicts = [(task, classifier.classify(task)) for task in document.tasks]
    return FileAudit(given, shown, task_file, source, document, verdicts)
