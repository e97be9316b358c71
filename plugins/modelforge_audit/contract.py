"""What the audit plugin lets others read (see modelforge.contracts): its findings, the kind
of the report it registers, and the count of deprecated tasks not yet marked."""

from __future__ import annotations

from modelforge.contracts import Contract, Table
from modelforge_audit.store import AuditFinding

REPORT_KIND = "audit-report"
UNMARKED_KEY = "unmarked_deprecate"

CONTRACT = Contract(
    tables={
        "audit_findings": Table.of(
            AuditFinding, "file", "line", "action", "marked", "task_id", "title"
        )
    },
    artifact_kinds={"audit_report": REPORT_KIND},
    result_keys={"unmarked_deprecate": UNMARKED_KEY},
)
