"""The audit as people and scripts read it: text lines, one JSON object, or a full document."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from modelforge_audit.settings import AuditSettings

ACTION_WORDS = {
    "deprecate": "DEPRECATE — replaced by SRL→RLVR",
    "enhance": "ENHANCE — keep, add SRL→RLVR requirements",
    "update": "UPDATE — keep, depend on SRL→RLVR artifacts and dynamic selection",
    "review": "REVIEW — mentions training; a person decides",
}


def text(data: dict[str, Any], explain: bool = False) -> str:
    """One line a finding and its reasons; with explain, the evidence each way, labelled."""
    lines = []
    for finding in data["findings"]:
        state = " (marked)" if finding["marked"] else ""
        lines.append(
            f"{finding['file']}:{finding['line']}  {finding['task_id']}: "
            f"{finding['title']}  -> {finding['action']}{state}"
        )
        if explain:
            lines.extend(f"    decided by: {reason}" for reason in finding["reasons"])
            against = finding.get("against") or ["nothing"]
            lines.extend(f"    weighed against: {reason}" for reason in against)
        else:
            lines.extend(f"    {reason}" for reason in finding["reasons"])
        if finding.get("judge"):
            judge = finding["judge"]
            lines.append(
                f"    judge ({judge['backend']}:{judge['model']}): {judge['verdict']} — "
                f"{judge['reason']}"
            )
        if finding["replacement"]:
            lines.append(f"    replacement: {', '.join(finding['replacement'])}")
    for change in data.get("applied", []):
        lines.append(f"marked {change['marked']} task(s) in {change['file']}")
    for move in data.get("archived", []):
        lines.append(
            f"archived {', '.join(move['tasks'])} from {move['file']} to {move['archive']}"
        )
    lines.append(summary_line(data["summary"]))
    return "\n".join(lines)


def summary_line(summary: dict[str, Any]) -> str:
    return (
        f"{summary['files']} file(s), {summary['tasks']} task(s): "
        f"{summary['deprecate']} deprecate, {summary['enhance']} enhance, "
        f"{summary['update']} update, {summary['review']} review; "
        f"{summary['marked']} already marked; "
        f"{summary['unmarked_deprecate']} deprecated task(s) not yet marked"
    )


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def markdown(data: dict[str, Any], settings: AuditSettings, paths: list[str]) -> str:
    """The audit document: critical findings, each file, the mapping, the plan, the checklist."""
    findings = data["findings"]
    summary = data["summary"]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# SRL→RLVR task audit",
        "",
        f"Audited {', '.join(f'`{path}`' for path in paths)} on {when}."
        + (f" Cross-reference: `{settings.cross_reference}`." if settings.cross_reference else ""),
        "",
        summary_line(summary) + ".",
        "",
        "## Critical findings",
        "",
    ]
    critical = [f for f in findings if f["action"] == "deprecate" and not f["marked"]]
    critical += [f for f in findings if f["action"] == "review"]
    if not critical:
        out.append("None: every deprecated task is marked and nothing awaits review.")
    for finding in critical:
        what = "not yet marked deprecated" if finding["action"] == "deprecate" else "needs review"
        judged = finding.get("judge")
        opinion = (
            f"; judge ({judged['backend']}:{judged['model']}): {judged['verdict']} — "
            f"{judged['reason']}"
            if judged
            else ""
        )
        out.append(
            f"- `{finding['file']}` line {finding['line']}: **{finding['task_id']}** "
            f"{finding['title']} — {what} ({'; '.join(finding['reasons'])}){opinion}"
        )
    out += ["", "## Findings by file", ""]
    by_file: dict[str, list[dict]] = defaultdict(list)
    for finding in findings:
        by_file[f"{finding['root'].rstrip('/')}/{finding['file']}"].append(finding)
    if not by_file:
        out.append("No task describes old-style training.")
    for name, items in by_file.items():
        out += [
            f"### `{name}`",
            "",
            "| Task | Line | Status | Action | Reason | Replacement |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for f in items:
            status = "marked" if f["marked"] else "not marked"
            out.append(
                "| "
                + " | ".join(
                    _cell(cell)
                    for cell in (
                        f"{f['task_id']}: {f['title']}",
                        str(f["line"]),
                        status,
                        ACTION_WORDS[f["action"]],
                        "; ".join(f["reasons"]),
                        ", ".join(f["replacement"]) or "—",
                    )
                )
                + " |"
            )
        out.append("")
    if data["problems"]:  # the same warnings the command prints to stderr
        out += ["## Problems", ""]
        out += [f"- `{p['file']}`: {p['message']}" for p in data["problems"]]
        out.append("")
    out += [
        "## Replacement mapping",
        "",
        "| Old task kind | Action | New tasks |",
        "| --- | --- | --- |",
    ]
    for rule in settings.rules:
        out.append(
            f"| {_cell(rule.kind)} | {rule.action} | {_cell(', '.join(rule.replacement)) or '—'} |"
        )
    out += [
        "",
        "## Migration plan",
        "",
        (
            "1. **Deprecate** — mark every deprecated task (`modelforge audit PATH --apply`): a status "
            "line, the old description struck through and kept, the replacement IDs."
        ),
        (
            "2. **Update related** — the same run adds an update note and new acceptance items to "
            "every enhance and update task; resolve the review items by hand."
        ),
        "3. **Implement** — build the replacement tasks"
        + (f" listed in `{settings.cross_reference}`." if settings.cross_reference else "."),
        (
            "4. **Remove after proven** — once two evaluation cycles pass without a regression, "
            "`modelforge audit PATH --archive` moves the deprecated sections into an archive file "
            "beside each original."
        ),
        "",
        "## Validation checklist",
        "",
    ]
    kept = [f for f in findings if f["action"] in ("enhance", "update")]
    checks = [
        (
            summary["unmarked_deprecate"] == 0,
            f"All old training tasks marked deprecated ({summary['unmarked_deprecate']} left)",
        ),
        (
            all(f["marked"] for f in kept),
            (
                f"Enhance and update tasks carry their SRL→RLVR notes "
                f"({sum(not f['marked'] for f in kept)} left)"
            ),
        ),
        (summary["review"] == 0, f"Review items resolved ({summary['review']} left)"),
        (
            summary["problems"] == 0,
            f"Every file could be audited ({summary['problems']} problem(s))",
        ),
    ]
    out += [f"- [{'x' if done else ' '}] {label}" for done, label in checks]
    return "\n".join(out) + "\n"
