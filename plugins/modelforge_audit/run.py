"""One audit from start to end, shared by the command and the lifecycle stage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from modelforge.config import Config
from modelforge.contracts import published
from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.plugins import Plugins
from modelforge_audit import store
from modelforge_audit.scan import Audit, audit_paths
from modelforge_audit.settings import AuditSettings


def audit_and_store(
    db: Database,
    settings: AuditSettings,
    paths: list[str],
    apply_marks: bool = False,
    archive_tasks: bool = False,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
    config: Config | None = None,
    plugins: Plugins | None = None,
) -> dict[str, Any]:
    """Audit paths (marking or archiving if asked), store the findings, return the result.

    Raises ModelforgeError when archiving is refused or the judge is misconfigured. After a
    change the files are audited again, so that what is reported and stored is what is on
    disk. With `[audit] judge` set (and config and plugins given) the `review` findings are
    judged.
    """
    backend = None
    if settings.judge and config is not None and plugins is not None:
        from modelforge_audit import judge

        # a bad role fails before any write
        backend = judge.backend_for(config, settings.judge, plugins)
    audit = audit_paths(paths, settings, progress, keep=apply_marks or archive_tasks)
    data: dict[str, Any] = {}
    extra_problems: list[dict[str, str]] = []
    if archive_tasks and not audit.nothing_audited:
        from modelforge_audit.archive import archive, proven

        regression_event = published(plugins).event("regression") if plugins else None
        ready, why = proven(db, regression_event)
        if not ready and not force:
            raise ModelforgeError(f"refusing to archive: {why} (use --force to archive anyway)")
        data["archived"], extra_problems = archive(audit, settings)
        data["proven"] = why
    elif apply_marks and not audit.nothing_audited:
        from modelforge_audit.apply import apply

        data["applied"], extra_problems = apply(audit, settings)
    if data.get("applied") or data.get("archived"):
        audit = audit_paths(paths, settings, keep=False)
    if not audit.nothing_audited:
        store.save(db, audit, paths)
    result = _result(audit, extra_problems, data)
    if backend is not None:
        texts = {(f.root, f.file, f.line): f.text for f in audit.findings if f.text}
        result["judged"], problems = judge.judge(db, result["findings"], texts, settings, backend)
        result["problems"] += problems
        result["summary"]["problems"] += len(problems)
    return result


def _result(
    audit: Audit, extra_problems: list[dict[str, str]], data: dict[str, Any]
) -> dict[str, Any]:
    problems = audit.problems + extra_problems
    summary = {**audit.summary(), "problems": len(problems)}
    return {
        "findings": [finding.as_dict() for finding in audit.findings],
        "summary": summary,
        "problems": problems,
        **data,
    }
