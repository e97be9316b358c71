"""An audit of one or more PATHs: every task file read, parsed and classified, read-only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from modelforge_audit.classify import Classifier, Verdict
from modelforge_audit.contract import UNMARKED_KEY
from modelforge_audit.markdown import Task, parse
from modelforge_audit.parallel import ordered_map
from modelforge_audit.settings import ACTIONS, AuditSettings
from modelforge_audit.source import SourceFile, Unreadable, read, split_lines
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
    against: list[str] = field(default_factory=list)  # the evidence weighed against the action
    # The task's own text, kept for the judge on `review` findings only (not reported).
    text: str | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if key != "text"}


@dataclass
class FileAudit:
    given: str  # the PATH this file was found under
    label: str  # how messages name it: PATH/relative, as the user typed PATH
    task_file: TaskFile
    tasks: int  # how many tasks the file holds
    findings: list[Finding]
    # What --apply and --archive rewrite the file from; a read-only audit does not keep it.
    source: SourceFile | None = None
    verdicts: list[tuple[Task, Verdict]] = field(default_factory=list)


@dataclass
class Audit:
    files: list[FileAudit] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)  # {"file", "message"}

    @property
    def findings(self) -> list[Finding]:
        return [finding for audited in self.files for finding in audited.findings]

    @property
    def nothing_audited(self) -> bool:
        return not self.files

    def summary(self) -> dict[str, Any]:
        findings = self.findings
        counts = Counter(finding.action for finding in findings)
        return {
            "files": len(self.files),
            "tasks": sum(audited.tasks for audited in self.files),
            "findings": len(findings),
            **{action: counts.get(action, 0) for action in ACTIONS},
            "marked": sum(finding.marked for finding in findings),
            UNMARKED_KEY: sum(f.action == "deprecate" and not f.marked for f in findings),
            "problems": len(self.problems),
        }


def audit_paths(
    paths: list[str],
    settings: AuditSettings,
    progress: Callable[[int, int], None] | None = None,
    keep: bool = True,
) -> Audit:
    """Read and classify every task file under paths; problems are collected, not raised.

    keep: keep each file's text and tasks, for --apply and --archive. Without it, files are
    audited in worker processes when there are many, and only what is reported comes back.
    """
    result = Audit()
    auditor = FileAuditor(
        Classifier(settings), int(settings.max_file_mb * 1e6), keep, bool(settings.judge)
    )
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
        jobs = [
            (given, f"{given.rstrip('/')}/{task_file.shown}" if folder else given, task_file)
            for task_file in found.files
        ]
        # The text and tasks kept for a change would cost more to send back than to parse.
        outcomes = map(auditor, jobs) if keep else ordered_map(auditor, jobs)
        for number, (audited, problems) in enumerate(outcomes, 1):
            result.problems.extend(problems)
            if audited is not None:
                result.files.append(audited)
            if progress:
                progress(number, len(jobs))
    return result


@dataclass
class FileAuditor:
    """Audits one file at a time, in this process or in a worker."""

    classifier: Classifier
    max_bytes: int
    keep: bool
    task_text: bool = False  # keep each review task's text, for the judge

    def __call__(
        self, job: tuple[str, str, TaskFile]
    ) -> tuple[FileAudit | None, list[dict[str, str]]]:
        """(the file's audit, or None when it cannot be read; its problems, named by shown)."""
        given, shown, task_file = job
        try:
            source = read(task_file.real, self.max_bytes)
        except Unreadable as why:
            return None, [{"file": shown, "message": str(why)}]
        document = parse(source.text)
        problems = [
            {"file": f"{shown}:{line + 1}", "message": message}
            for line, message in document.problems
        ]
        verdicts = [(task, self.classifier.classify(task)) for task in document.tasks]
        findings = [
            Finding(
                given,
                task_file.shown,
                task.task_id,
                task.title,
                task.aliases,
                task.line + 1,
                verdict.action,
                verdict.reasons,
                verdict.replacement,
                verdict.marked,
                verdict.against,
                _own_text(source.text, task)
                if self.task_text and verdict.action == "review"
                else None,
            )
            for task, verdict in verdicts
            if verdict.action is not None
        ]
        audited = FileAudit(given, shown, task_file, len(verdicts), findings)
        if self.keep:
            audited.source, audited.verdicts = source, verdicts
        return audited, problems


def _own_text(text: str, task: Task) -> str:
    """The task's own part as written: its heading to the next task heading."""
    return "".join(split_lines(text)[task.line : task.own_end]).strip()
