"""Other stages' tables, read through what their plugins publish: the TUI never imports
another plugin's modules, and never copies its table or column names.

Each tab names a topic (see modelforge.contracts); the plugin that publishes it says which
table and columns hold it. No publisher, or a table not created yet, means the stage has no
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
from modelforge.contracts import Table, published
from modelforge.db import Database
from modelforge.models import Artifact
from modelforge.status import curve_points

ROWS_SHOWN = 500
PASS_RATE_CYCLES = 12  # how many cycles the overview's sparkline spans


@dataclass(frozen=True)
class Source:
    """A tab's rows: the topic of a published table, the stage that writes it, their order
    (published columns, or `rowid DESC` for newest first)."""

    stage: str
    topic: str
    order: tuple[str, ...]
    count_by: str | None = None  # a column whose value counts make the summary line
    flag_by: tuple[str, tuple[str, ...]] | None = None  # (topic, columns): a row with a match
    # in that topic's table on those columns is highlighted


SOURCES = {
    "weaknesses": Source(
        "track",
        "weaknesses",
        ("model_type", "category"),
        flag_by=("regressions", ("model_type", "category")),
    ),
    "regressions": Source("track", "regressions", ("rowid DESC",), count_by="model_type"),
    "selection": Source("select", "selection_decisions", ("rowid DESC",)),
    "audit": Source("audit", "audit_findings", ("file", "line"), count_by="action"),
    "provider_jobs": Source("finetune_remote", "provider_jobs", ("rowid DESC",)),
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


def no_data(app: App, source: Source, table: Table | None) -> str:
    if not app.plugins.implementations(source.stage):
        return f"no data yet: the {source.stage} stage has no plugin"
    if table is None:
        return f"no data: no loaded plugin publishes {source.topic}"
    return f"no data yet: the {source.stage} stage has not run"


def readable(db: Database, table: Table | None) -> list[str] | None:
    """The published columns of a table that exists, or None."""
    present = table_columns(db, table.name) if table is not None else None
    if present is None:
        return None
    return [column for column in table.columns if column in present]


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


def quoted(columns: list[str] | tuple[str, ...]) -> str:
    return ", ".join(f'"{column}"' for column in columns)


def read(app: App, name: str) -> Provided:
    source = SOURCES[name]
    contracts = published(app.plugins)
    table = contracts.table(source.topic)
    shown = readable(app.db, table)
    if not shown:
        return Provided(missing=no_data(app, source, table))
    order = [term for term in source.order if term.split()[0] in (*shown, "rowid")]
    flag_sql = flag_query(app.db, contracts, source, shown)
    with app.db.engine.connect() as connection:
        found = connection.execute(
            text(
                f'SELECT {quoted(shown)} FROM "{table.name}" '
                f"ORDER BY {', '.join(order or ['rowid'])} LIMIT {ROWS_SHOWN}"
            )
        ).all()
        counts = []
        if source.count_by in shown:
            counts = connection.execute(
                text(
                    f'SELECT "{source.count_by}", COUNT(*) FROM "{table.name}" '
                    f'GROUP BY "{source.count_by}" ORDER BY "{source.count_by}"'
                )
            ).all()
        marks = {tuple(row) for row in connection.execute(text(flag_sql))} if flag_sql else set()
    if not found:
        return Provided(shown, missing=no_data(app, source, table))
    rows = [[cell(value) for value in row] for row in found]
    flagged = set()
    if marks:
        keys = [shown.index(column) for column in source.flag_by[1]]
        flagged = {n for n, row in enumerate(found) if tuple(row[i] for i in keys) in marks}
    summary = ", ".join(f"{value}: {count}" for value, count in counts)
    return Provided(shown, rows, None, flagged, summary)


def flag_query(db: Database, contracts, source: Source, shown: list[str]) -> str | None:
    """The query for the key tuples of the flagging topic's rows, when both tables publish
    the keys."""
    if source.flag_by is None:
        return None
    topic, keys = source.flag_by
    table = contracts.table(topic)
    present = readable(db, table) or []
    if not set(keys) <= set(present) or not set(keys) <= set(shown):
        return None
    return f'SELECT {quoted(keys)} FROM "{table.name}"'


def pass_rates(app: App, model_type: str) -> list[float]:
    """The type's learning curve on its fixed test set (`modelforge curve`), oldest first; where
    it has none yet, the held-out pass rate of its last cycles; [] before evaluation."""
    curve = curve_points(app, model_type, PASS_RATE_CYCLES)
    if curve:
        return [point["rate"] for point in curve]
    table = published(app.plugins).table("evaluations")
    present = readable(app.db, table) or []
    if not {"model_type", "cycle_id", "passed", "samples"} <= set(present):
        return []
    with app.db.engine.connect() as connection:
        found = connection.execute(
            text(
                f'SELECT cycle_id, CAST(SUM(passed) AS REAL) / SUM(samples) FROM "{table.name}" '
                "WHERE model_type = :type AND cycle_id IS NOT NULL AND samples > 0 "
                "GROUP BY cycle_id ORDER BY cycle_id DESC LIMIT :n"
            ),
            {"type": model_type, "n": PASS_RATE_CYCLES},
        ).all()
    return [rate for _, rate in reversed(found)]


def audit_report(app: App) -> Path | None:
    """The newest audit report file, when the audit stage registered one that still exists."""
    kind = published(app.plugins).artifact_kind("audit_report")
    if kind is None:
        return None
    with app.db.read_session() as session:
        path = session.exec(
            select(Artifact.path).where(Artifact.kind == kind).order_by(col(Artifact.id).desc())
        ).first()
    return Path(path) if path and Path(path).is_file() else None
