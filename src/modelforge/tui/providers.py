"""Other stages' tables, read by name: the TUI never imports another plugin's modules.

Every table a stage plugin owns that the TUI shows is named here, in one place, so a change
to a plugin's schema is one edit. A table that does not exist yet means the stage has no
plugin or has not run; the screens say so instead of failing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, text
from sqlmodel import col, select

from modelforge.app import App
from modelforge.db import Database
from modelforge.models import Artifact

ROWS_SHOWN = 500
PASS_RATE_CYCLES = 12  # how many cycles the overview's sparkline spans
EVALUATIONS = "eval_runs"  # evaluate stage: a row per model scored: model_type, cycle_id, passed, samples
AUDIT_REPORT_KIND = "audit_report"  # an artifact the audit stage registers for its report


@dataclass(frozen=True)
class Source:
    """A stage's table and the columns shown from it, in order, when they exist."""

    stage: str
    table: str
    columns: tuple[str, ...]
    order: tuple[str, ...]
    flag: str | None = None  # a column whose truthy value highlights the row
    count_by: str | None = None  # a column whose value counts make the summary line


SOURCES = {
    "weaknesses": Source(
        "track",
        "weaknesses",
        (
            "model_type", "category", "severity", "pass_rate", "confidence", "trend",
            "regression", "model_name", "cycle_id",
        ),
        ("model_type", "category"),
        flag="regression",
    ),
    "selection": Source(
        "select",
        "selection_decisions",
        ("responsibility", "action", "model", "previous", "cycle_id", "created_at"),
        ("id DESC",),
    ),
    "audit": Source(
        "audit",
        "audit_findings",
        ("file", "line", "action", "marked", "task_id", "title"),
        ("file", "line"),
        count_by="action",
    ),
    "provider_jobs": Source(
        "finetune_remote",
        "finetune_jobs",
        ("provider", "model_type", "method", "status", "cycle_id", "result_model", "error"),
        ("id DESC",),
    ),
}


@dataclass
class Provided:
    """Rows from a stage's table, or why there are none."""

    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    missing: str | None = None
    flagged: set[int] = field(default_factory=set)  # indexes of rows to highlight
    summary: str = ""


def table_columns(db: Database, table: str) -> list[str] | None:
    """The table's column names, or None when it does not exist."""
    inspector = inspect(db.engine)
    if not inspector.has_table(table):
        return None
    return [column["name"] for column in inspector.get_columns(table)]


def no_data(app: App, stage: str) -> str:
    why = "has not run" if app.plugins.implementations(stage) else "has no plugin"
    return f"no data yet: the {stage} stage {why}"


def cell(value: Any) -> Any:
    """JSON lists and objects as one readable line."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return value


def read(app: App, name: str) -> Provided:
    source = SOURCES[name]
    present = table_columns(app.db, source.table)
    if present is None:
        return Provided(missing=no_data(app, source.stage))
    shown = [column for column in source.columns if column in present] or present
    order = [term for term in source.order if term.split()[0] in present] or ["rowid"]
    select_sql = ", ".join(f'"{column}"' for column in shown)
    with app.db.engine.connect() as connection:
        found = connection.execute(
            text(
                f'SELECT {select_sql} FROM "{source.table}" '
                f"ORDER BY {', '.join(order)} LIMIT {ROWS_SHOWN}"
            )
        ).all()
        counts = []
        if source.count_by in present:
            counts = connection.execute(
                text(
                    f'SELECT "{source.count_by}", COUNT(*) FROM "{source.table}" '
                    f'GROUP BY "{source.count_by}" ORDER BY "{source.count_by}"'
                )
            ).all()
    if not found:
        return Provided(shown, missing=no_data(app, source.stage))
    rows = [[cell(value) for value in row] for row in found]
    flagged = set()
    if source.flag in shown:
        index = shown.index(source.flag)
        flagged = {number for number, row in enumerate(found) if row[index]}
    summary = ", ".join(f"{value}: {count}" for value, count in counts)
    return Provided(shown, rows, None, flagged, summary)


def pass_rates(db: Database, model_type: str) -> list[float]:
    """The evaluation pass rate of the type's last cycles, oldest first; [] before evaluation."""
    present = table_columns(db, EVALUATIONS) or []
    if not {"model_type", "cycle_id", "passed", "samples"} <= set(present):
        return []
    with db.engine.connect() as connection:
        found = connection.execute(
            text(
                f"SELECT cycle_id, CAST(SUM(passed) AS REAL) / SUM(samples) FROM {EVALUATIONS} "
                "WHERE model_type = :type AND cycle_id IS NOT NULL AND samples > 0 "
                "GROUP BY cycle_id ORDER BY cycle_id DESC LIMIT :n"
            ),
            {"type": model_type, "n": PASS_RATE_CYCLES},
        ).all()
    return [rate for _, rate in reversed(found)]


def audit_report(db: Database) -> Path | None:
    """The newest audit report file, when the audit stage registered one that still exists."""
    with db.read_session() as session:
        path = session.exec(
            select(Artifact.path)
            .where(Artifact.kind == AUDIT_REPORT_KIND)
            .order_by(col(Artifact.id).desc())
        ).first()
    return Path(path) if path and Path(path).is_file() else None
