"""The checklist item "all old training tasks marked deprecated", from the stored findings.

Every `deprecate` finding of the configured task PATHs must carry its marker on disk now:
the files are read again, so a marker removed since the audit counts as missing.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from modelforge.db import Database
from modelforge_audit import store
from modelforge_audit.classify import Classifier
from modelforge_audit.markdown import parse
from modelforge_audit.settings import AuditSettings
from modelforge_audit.source import Unreadable, read


def audit_item(db: Database, settings: AuditSettings) -> tuple[str, str]:
    """(state, evidence) for the checklist item `audit`."""
    if not settings.paths:
        return "unknown", "no task paths configured ([audit] paths), so nothing to check"
    roots = [store.root_key(path) for path in settings.paths]
    audited = store.audited_roots(db)
    never = [path for path, root in zip(settings.paths, roots, strict=True) if root not in audited]
    if never:
        return "not done", f"never audited: {', '.join(never)} (run `modelforge audit` on them)"
    findings = store.deprecate_findings(db, roots)
    by_file = defaultdict(list)
    for finding in findings:
        by_file[finding.real_path].append(finding)
    classifier = Classifier(settings)
    missing = []
    for real_path, expected in by_file.items():
        try:
            tasks = parse(read(Path(real_path), int(settings.max_file_mb * 1e6)).text).tasks
        except Unreadable as why:
            missing.extend(f"{f.file} {f.task_id} ({why})" for f in expected)
            continue
        on_disk = {(task.task_id, task.title): classifier.marker_action(task) for task in tasks}
        for finding in expected:
            marker = on_disk.get((finding.task_id, finding.title))
            if marker is None or marker[1] != "deprecate":
                missing.append(f"{finding.file} {finding.task_id}")
    if missing:
        shown = ", ".join(missing[:10]) + (
            f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        )
        return (
            "not done",
            f"{len(missing)} of {len(findings)} deprecated task(s) not marked on disk: {shown}",
        )
    return (
        "done",
        f"all {len(findings)} deprecated task(s) under {len(roots)} path(s) marked on disk",
    )
