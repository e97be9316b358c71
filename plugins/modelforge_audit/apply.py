"""`--apply`: mark each classified task in place, adding lines and never removing a word.

A deprecated task gets a status line with the replacement note and its prose struck
through; an enhance or update task gets a status line, an update note and new acceptance
items. A task already carrying its marker is left alone, so a second run changes nothing.
"""

from __future__ import annotations

import re

from modelforge_audit.classify import Verdict
from modelforge_audit.markdown import Task
from modelforge_audit.scan import Audit, FileAudit
from modelforge_audit.settings import AuditSettings
from modelforge_audit.writing import ChangedOnDisk, ReadOnly, replace_bytes

MARKABLE = ("deprecate", "enhance", "update")
_PROSE_LINE = re.compile(
    r"^(?P<lead>[ \t]*(?:>[ \t]?)*[ \t]*(?:[-*+][ \t]+(?:\[[ xX]\][ \t]+)?|\d{1,9}[.)][ \t]+)?)"
    r"(?P<text>.*?)(?P<tail>[ \t]*(?:\r\n|\r|\n)?)$",
    re.DOTALL,
)
_QUOTE = re.compile(r"^[ \t]*(?:>[ \t]?)+")


def struck(line: str) -> str:
    """The line with its text struck through; list markers, indentation and ending kept."""
    match = _PROSE_LINE.match(line)
    lead, text, tail = match["lead"], match["text"], match["tail"]
    if not text or (text.startswith("~~") and text.endswith("~~") and len(text) > 4):
        return line
    hard_break = "\\" if text.endswith("\\") else ""  # `~~text\~~` would escape the tilde
    return f"{lead}~~{text.removesuffix(hard_break)}~~{hard_break}{tail}"


def marker_lines(verdict: Verdict, settings: AuditSettings) -> list[str]:
    """The lines that mark a task for its action (without line endings)."""
    note_values = {"cross_reference": settings.cross_reference}
    ids = ", ".join(f"`{item}`" for item in verdict.replacement)
    if verdict.action == "deprecate":
        note = settings.replaced_note.format(**note_values)
        status = f"{settings.status_prefix} {settings.deprecate_marker} — {note}"
        return [status + (f" (replacement: {ids})" if ids else "")]
    marker = settings.enhance_marker if verdict.action == "enhance" else settings.update_marker
    items = (
        settings.enhance_acceptance if verdict.action == "enhance" else settings.update_acceptance
    )
    note = settings.update_note.format(**note_values)
    status = f"{settings.status_prefix} {marker} — {note}" + (f" (related: {ids})" if ids else "")
    # The task stays; the line that trained the old way is named, and moves to SRL→RLVR.
    moved = [f"Done through SRL→RLVR instead: “{_quoted(text)}”" for _, text in verdict.moved]
    return [
        status,
        "",
        "**New acceptance items (SRL→RLVR):**",
        "",
        *(f"- [ ] {item}" for item in [*items, *moved]),
    ]


def _quoted(text: str) -> str:
    """A sentence as one line, without its own checkbox."""
    return re.sub(r"^\[[ xX]\]\s+", "", " ".join(text.split()))


def marked_text(audited: FileAudit, settings: AuditSettings) -> tuple[str, int]:
    """The file's new text and how many tasks it marks (0: the text is unchanged)."""
    lines = audited.source.lines()
    newline = audited.source.newline
    todo = [
        (task, verdict)
        for task, verdict in audited.verdicts
        if verdict.action in MARKABLE and not verdict.marked
    ]
    for task, verdict in sorted(todo, key=lambda pair: pair[0].line, reverse=True):
        _mark(lines, task, verdict, settings, newline)
    return "".join(lines), len(todo)


def _mark(
    lines: list[str], task: Task, verdict: Verdict, settings: AuditSettings, newline: str
) -> None:
    if verdict.action == "deprecate":
        for index in task.prose_lines:
            lines[index] = struck(lines[index])
    quote = _QUOTE.match(lines[task.line])
    prefix = quote[0] if quote else ""
    if task.body_start >= len(lines) and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline  # the heading was the last line, with no line ending
    added = ["", *marker_lines(verdict, settings)]
    following = lines[task.body_start] if task.body_start < len(lines) else ""
    if following.strip(" \t\r\n>"):
        added.append("")  # keep the original text a paragraph of its own
    lines[task.body_start : task.body_start] = [
        (prefix + line if line else prefix.rstrip()) + newline for line in added
    ]


def apply(audit: Audit, settings: AuditSettings) -> tuple[list[dict], list[dict[str, str]]]:
    """Mark every file of the audit; return what changed and what could not be written.

    A read-only file (no write bit in its mode) is skipped and reported, never written.
    """
    changed, problems = [], []
    for audited in audit.files:
        text, count = marked_text(audited, settings)
        if not count:
            continue
        where = audited.label
        try:
            replace_bytes(audited.task_file.real, audited.source.encode(text), audited.source.raw)
        except ReadOnly as why:
            problems.append({"file": where, "message": f"{why}; skipped, not written"})
            continue
        except ChangedOnDisk as why:
            problems.append({"file": where, "message": str(why)})
            continue
        except OSError as exc:
            problems.append({"file": where, "message": f"cannot be written: {exc.strerror or exc}"})
            continue
        changed.append({"file": audited.task_file.shown, "root": audited.given, "marked": count})
    return changed, problems
