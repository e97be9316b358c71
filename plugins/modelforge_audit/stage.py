"""The `audit` lifecycle stage: audit the configured task PATHs, read-only, and keep a report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from modelforge import StageInterrupted, StageSkipped
from modelforge.artifacts import atomic_path
from modelforge.lifecycle import StageContext
from modelforge_audit import report
from modelforge_audit.contract import REPORT_KIND
from modelforge_audit.fingerprint import fingerprint, last_audit
from modelforge_audit.run import audit_and_store

MAX_PROBLEM_EVENTS = 20  # one event a problem, up to this many; the summary counts them all


def run_stage(ctx: StageContext) -> dict[str, Any]:
    settings = ctx.config.section("audit")
    if not settings.paths:
        raise StageSkipped("no task paths configured ([audit] paths)")
    # Every model type's cycle reaches this stage: the same files are audited once, until they
    # (or the settings) change.
    digest = fingerprint(settings)
    last = last_audit(ctx.db)
    if (
        last is not None
        and last.fingerprint == digest
        and last.report
        and Path(last.report).exists()
    ):
        raise StageSkipped(
            f"task files and [audit] settings unchanged since the audit of cycle "
            f"{last.cycle_id}; its report stands: {last.report}"
        )

    def progress(done: int, total: int) -> None:
        ctx.progress(done, total)
        if ctx.stop_requested:
            raise StageInterrupted("stopped on request; the audit starts again on resume")

    data = audit_and_store(
        ctx.db,
        settings,
        settings.paths,
        progress=progress,
        config=ctx.config,
        plugins=ctx.plugins,
    )
    for problem in data["problems"][:MAX_PROBLEM_EVENTS]:
        ctx.event("audit.problem", f"{problem['file']}: {problem['message']}", level="warning")
    summary = data["summary"]
    if summary["files"] == 0:
        raise StageSkipped("nothing could be audited under " + ", ".join(settings.paths))
    target = ctx.work_dir / "audit-report.md"
    with atomic_path(target, replace_file=True) as scratch:  # a rerun writes it again
        scratch.write_text(report.markdown(data, settings, settings.paths), encoding="utf-8")
    ctx.artifact(target, REPORT_KIND, {"paths": settings.paths})
    ctx.event(
        "audit.summary",
        report.summary_line(summary),
        **summary,
        fingerprint=digest,
        report=str(target),
    )
    return {**summary, "report": str(target)}
