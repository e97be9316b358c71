"""The findings table: the latest audit of each PATH, for the report and the checklist.

Each audit replaces the findings of the PATHs it read (history lives in the event log), and
records an `audit.stored` event naming those PATHs, so that a PATH audited with nothing to
report is told apart from one never audited.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, delete
from sqlmodel import Field, SQLModel, col, select

from modelforge.db import Database
from modelforge.events import record_event
from modelforge.models import Event, utcnow

if TYPE_CHECKING:  # scan reads the contract, which names this table
    from modelforge_audit.scan import Audit

STORED_EVENT = "audit.stored"


class AuditFinding(SQLModel, table=True):
    """One classified task as the last audit of its PATH found it."""

    __tablename__ = "audit_findings"
    id: int | None = Field(default=None, primary_key=True)
    audited_at: datetime = Field(default_factory=utcnow)
    root: str = Field(index=True)  # the PATH audited, resolved
    file: str  # relative to root
    real_path: str  # the file on disk, which the checklist reads again for markers
    task_id: str
    title: str
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    line: int
    action: str = Field(index=True)
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    replacement: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    marked: bool = False


def root_key(given: str) -> str:
    return str(Path(given).expanduser().resolve())


def save(db: Database, audit: Audit, paths: list[str]) -> None:
    """Replace the stored findings of every PATH that could be read."""
    roots = sorted({root_key(given) for given in paths if Path(given).expanduser().exists()})
    if not roots:
        return
    with db.session() as session:
        session.execute(delete(AuditFinding).where(col(AuditFinding.root).in_(roots)))
        connection = session.connection()
        rows = _rows(audit, connection.dialect)
        findings = len(rows)
        if rows:
            # One executemany of ready values: a tree holds 100,000s of findings, and an ORM
            # insert spends more per row than the whole audit of the row's task.
            names = ", ".join(_COLUMNS)
            marks = ", ".join("?" * len(_COLUMNS))
            connection.exec_driver_sql(
                f"INSERT INTO {AuditFinding.__tablename__} ({names}) VALUES ({marks})", rows
            )
    record_event(
        db,
        STORED_EVENT,
        f"audit findings stored for {len(roots)} path(s)",
        roots=roots,
        findings=findings,
        unmarked_deprecate=audit.summary()["unmarked_deprecate"],
    )


_COLUMNS = (
    "audited_at",
    "root",
    "file",
    "real_path",
    "task_id",
    "title",
    "aliases",
    "line",
    "action",
    "reasons",
    "replacement",
    "marked",
)


def _processor(column, dialect):
    """The function that turns a value into what the column stores, as SQLAlchemy does."""
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _rows(audit: Audit, dialect) -> list[tuple]:
    """The findings as rows of _COLUMNS, converted as the columns' own types convert them."""
    columns = AuditFinding.__table__.c
    now = _processor(columns.audited_at, dialect)(utcnow())
    as_json = _processor(columns.aliases, dialect)
    rows: list[tuple] = []
    roots: dict[str, str] = {}  # resolving a PATH is a system call; there are few PATHs
    for audited in audit.files:
        root = roots.get(audited.given)
        if root is None:
            root = roots[audited.given] = root_key(audited.given)
        real = str(audited.task_file.real)
        rows.extend(
            (
                now,
                root,
                f.file,
                real,
                f.task_id,
                f.title,
                as_json(f.aliases),
                f.line,
                f.action,
                as_json(f.reasons),
                as_json(f.replacement),
                f.marked,
            )
            for f in audited.findings
        )
    return rows


def audited_roots(db: Database) -> set[str]:
    with db.session() as session:
        events = session.exec(select(Event).where(Event.kind == STORED_EVENT)).all()
    return {root for event in events for root in (event.data or {}).get("roots", [])}


def deprecate_findings(db: Database, roots: list[str]) -> list[AuditFinding]:
    with db.session() as session:
        query = select(AuditFinding).where(
            col(AuditFinding.root).in_(roots), AuditFinding.action == "deprecate"
        )
        return list(session.exec(query.order_by(col(AuditFinding.id))).all())
