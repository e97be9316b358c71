"""The core's tables as the TUI shows them: every read is one indexed, bounded query.

Reuses `status.gather` for what is running; adds what only the TUI shows (rate, ETA, last
result, trained or stale) and pages of stage runs and events, newest first, keyed by id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import col, func, or_, select

from modelforge.app import App
from modelforge.control import schedule_paused
from modelforge.db import Database
from modelforge.models import Cycle, Event, StageRun
from modelforge.status import gather, next_cycle
from modelforge.tui import providers

PAGE = 100  # stage runs per page
EVENTS_SHOWN = 200  # newest events of one stage run


@dataclass
class TypeRow:
    """One model type on the overview."""

    model_type: str
    enabled: bool
    cycle_id: int | None = None
    cycle_status: str | None = None
    orphaned: bool = False
    stage: str | None = None
    stage_status: str | None = None
    done: int = 0
    total: int | None = None
    rate: float | None = None  # progress steps per second since the stage started
    eta_s: float | None = None
    last_result: str | None = None  # status of the newest finished cycle
    training: str = "untrained"  # trained | stale | untrained
    pass_rates: list[float] = field(default_factory=list)  # oldest first
    stages: list[dict[str, Any]] = field(default_factory=list)
    next_cycle: str | None = None  # when the next cycle is due, in words


@dataclass
class Overview:
    daemon_pid: int | None  # whoever holds the data directory's lock
    paused: bool
    types: list[TypeRow]
    runner: str | None = None  # what holds it: daemon, run --once or train


@dataclass
class JobRow:
    id: int
    model_type: str
    cycle_id: int
    stage: str
    status: str
    done: int
    total: int | None
    started_at: datetime
    duration_s: float | None
    note: str | None  # the error, else the detail


def parse_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def rate_and_eta(stage: dict[str, Any], now: datetime) -> tuple[float | None, float | None]:
    """Steps per second over the stage so far, and the seconds left at that rate."""
    started = parse_iso(stage["started_at"])
    done, total = stage["progress"]["done"], stage["progress"]["total"]
    elapsed = (now - started).total_seconds() if started else 0
    if stage["status"] != "running" or not done or elapsed <= 0:
        return None, None
    rate = done / elapsed
    return rate, ((total - done) / rate if total else None)


def last_result(session, model_type: str) -> str | None:
    return session.exec(
        select(Cycle.status)
        .where(Cycle.model_type == model_type, Cycle.status != "running")
        .order_by(col(Cycle.id).desc())
    ).first()


def training_state(session, model_type: str) -> str:
    """trained: the newest finished cycle trained; stale: a later one finished without it."""
    last_trained = session.exec(
        select(func.max(StageRun.cycle_id))
        .join(Cycle, Cycle.id == StageRun.cycle_id)
        .where(
            Cycle.model_type == model_type,
            StageRun.stage == "train_rlvr",
            StageRun.status == "done",
        )
    ).first()
    if last_trained is None:
        return "untrained"
    last_done = session.exec(
        select(func.max(Cycle.id)).where(Cycle.model_type == model_type, Cycle.status == "done")
    ).first()
    return "stale" if last_done is not None and last_done > last_trained else "trained"


def overview(app: App, now: datetime | None = None) -> Overview:
    now = now or datetime.now(UTC)
    status = gather(app)
    rows = []
    with app.db.read_session() as session:
        for entry in status["types"]:
            row = TypeRow(entry["model_type"], entry["enabled"])
            row.next_cycle = next_cycle(status, entry)  # None unless the daemon runs
            cycle = entry["cycle"]
            if cycle is not None:
                current = next(
                    (s for s in cycle["stages"] if s["stage"] == cycle["current_stage"]), None
                )
                row.cycle_id, row.cycle_status = cycle["id"], cycle["status"]
                row.orphaned, row.stages = cycle["orphaned"], cycle["stages"]
                if current is not None:
                    row.stage, row.stage_status = current["stage"], current["status"]
                    row.done, row.total = current["progress"]["done"], current["progress"]["total"]
                    row.rate, row.eta_s = rate_and_eta(current, now)
            row.last_result = last_result(session, row.model_type)
            row.training = training_state(session, row.model_type)
            rows.append(row)
    for row in rows:
        row.pass_rates = providers.pass_rates(app, row.model_type)
    return Overview(status["daemon_pid"], schedule_paused(app.db), rows, status["runner"])


def job_page(db: Database, words: list[str], before_id: int | None = None) -> list[JobRow]:
    """Up to PAGE stage runs older than before_id, newest first; every word must match the
    stage, the status or the model type."""
    query = select(StageRun, Cycle.model_type).join(Cycle, Cycle.id == StageRun.cycle_id)
    for word in words:
        query = query.where(
            or_(StageRun.stage == word, StageRun.status == word, Cycle.model_type == word)
        )
    if before_id is not None:
        query = query.where(StageRun.id < before_id)
    with db.read_session() as session:
        found = session.exec(query.order_by(col(StageRun.id).desc()).limit(PAGE)).all()
    return [
        JobRow(
            run.id,
            model_type,
            run.cycle_id,
            run.stage,
            run.status,
            run.progress_done,
            run.progress_total,
            run.started_at,
            run.duration_s,
            run.error or run.detail,
        )
        for run, model_type in found
    ]


def run_events(db: Database, cycle_id: int, stage: str, limit: int = EVENTS_SHOWN) -> list[Event]:
    """The newest events of one stage of one cycle (walks the cycle_id index backwards)."""
    with db.read_session() as session:
        return list(
            session.exec(
                select(Event)
                .where(Event.cycle_id == cycle_id, Event.stage == stage)
                .order_by(col(Event.id).desc())
                .limit(limit)
            ).all()
        )


@dataclass
class RunDetail:
    run: StageRun
    model_type: str
    events: list[Event]


def run_detail(db: Database, run_id: int) -> RunDetail | None:
    with db.read_session() as session:
        run = session.get(StageRun, run_id)
        if run is None:
            return None
        model_type = session.get(Cycle, run.cycle_id).model_type
    return RunDetail(run, model_type, run_events(db, run.cycle_id, run.stage))
