"""`--archive`, step 4 of the migration plan: move deprecated task sections beside the file.

Allowed only once the new pipeline is proven: the two most recent cycles (of any model type)
whose `evaluate` stage run is done, with no regression event recorded for either (the event
kind a plugin publishes under the topic "regression"; with no publisher nothing is proven).

A marked deprecated task's own part moves to `<name>.archive.md` beside its file; the
heading stays where it was with an ARCHIVED status line pointing there, so history and
every word are kept. The archive is written first: a crash in between leaves the section in
both files, and the next run sees it is already archived and does not copy it twice.
"""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from modelforge.db import Database
from modelforge.models import Event, StageRun
from modelforge_audit.markdown import Task
from modelforge_audit.scan import Audit, FileAudit
from modelforge_audit.settings import AuditSettings
from modelforge_audit.source import Unreadable, decode
from modelforge_audit.writing import ChangedOnDisk, ReadOnly, refuse_read_only, replace_bytes


def proven(db: Database, regression_event: str | None) -> tuple[bool, str]:
    """Whether the database shows two evaluation cycles without a regression, and why."""
    if regression_event is None:
        return False, "no loaded plugin records regressions, so none can be ruled out"
    with db.session() as session:
        cycles = list(
            session.exec(
                select(StageRun.cycle_id)
                .where(StageRun.stage == "evaluate", StageRun.status == "done")
                .distinct()
                .order_by(col(StageRun.cycle_id).desc())
                .limit(2)
            ).all()
        )
        if len(cycles) < 2:
            return False, (
                f"the database shows {len(cycles)} evaluation cycle(s) done; two "
                "without a regression are needed before old tasks are archived"
            )
        regressed = sorted(
            {
                event.cycle_id
                for event in session.exec(
                    select(Event).where(
                        Event.kind == regression_event, col(Event.cycle_id).in_(cycles)
                    )
                ).all()
            }
        )
    if regressed:
        return False, f"cycle(s) {', '.join(map(str, regressed))} recorded a regression"
    return True, f"cycles {cycles[1]} and {cycles[0]} evaluated without a regression"


def archive_path(path: Path, settings: AuditSettings) -> Path:
    return path.with_name(f"{path.stem}{settings.archive_suffix}{path.suffix}")


def is_archived(task: Task, settings: AuditSettings) -> bool:
    label = f"{settings.status_prefix} {settings.archived_marker}"
    return any(text.startswith(label) for _, text in task.sentences[1:])


def archive(audit: Audit, settings: AuditSettings) -> tuple[list[dict], list[dict[str, str]]]:
    """Archive every marked deprecated task; return what moved and what could not."""
    moved, problems = [], []
    for audited in audit.files:
        tasks = [
            task
            for task, verdict in audited.verdicts
            if verdict.action == "deprecate" and verdict.marked and not is_archived(task, settings)
        ]
        if not tasks:
            continue
        try:
            _archive_file(audited, tasks, settings)
        except ReadOnly as why:
            problems.append({"file": audited.label, "message": f"{why}; skipped, not written"})
            continue
        except (ChangedOnDisk, Unreadable) as why:
            problems.append({"file": audited.label, "message": str(why)})
            continue
        except OSError as exc:
            problems.append(
                {"file": audited.label, "message": f"cannot be archived: {exc.strerror or exc}"}
            )
            continue
        moved.append(
            {
                "file": audited.task_file.shown,
                "root": audited.given,
                "archive": archive_path(Path(audited.task_file.shown), settings).as_posix(),
                "tasks": [task.task_id for task in tasks],
            }
        )
    return moved, problems


def _archive_file(audited: FileAudit, tasks: list[Task], settings: AuditSettings) -> None:
    source = audited.source
    newline = source.newline
    lines = source.lines()
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    target = archive_path(audited.task_file.real, settings)
    # Both files are written or neither: a read-only original must not gain a copy in its
    # archive that it still holds itself.
    refuse_read_only(audited.task_file.real)
    refuse_read_only(target)
    old = target.read_bytes() if target.exists() else None
    kept = decode(target, old) if old is not None else None
    archived_text = (
        kept.text if kept else f"# Archived tasks from {audited.task_file.real.name}{newline}"
    )
    for task in tasks:
        section = "".join(lines[task.line : task.own_end])
        if section not in archived_text:  # already copied by a run that stopped half-way
            note = f"<!-- archived from {audited.task_file.shown}, {task.task_id} -->"
            archived_text += f"{newline}{note}{newline}{section}"
    for task in sorted(tasks, key=lambda t: t.line, reverse=True):
        stub = (
            f"{newline}{settings.status_prefix} {settings.archived_marker} — moved to "
            f"{target.name}{newline}{newline}"
        )
        lines[task.body_start : task.own_end] = [stub]
    encoder = kept or source
    replace_bytes(target, encoder.encode(archived_text), old)
    replace_bytes(audited.task_file.real, source.encode("".join(lines)), source.raw)
