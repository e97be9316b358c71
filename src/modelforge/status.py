"""What is running and how far it got, read from the database."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import col, select

from modelforge.app import App
from modelforge.contracts import published
from modelforge.control import schedule_paused
from modelforge.lock import holding
from modelforge.models import Cycle, StageRun


def iso(moment: datetime | None) -> str | None:
    """UTC in ISO 8601 with a Z; SQLite may hand the time back with or without its zone."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds") + "Z"


def stage_run_dict(run: StageRun) -> dict[str, Any]:
    return {
        "stage": run.stage,
        "status": run.status,
        "detail": run.detail,
        "plugins": run.plugins.split(",") if run.plugins else [],
        "progress": {"done": run.progress_done, "total": run.progress_total},
        "started_at": iso(run.started_at),
        "duration_s": run.duration_s,
        "error": run.error,
    }


def latest_stage_runs(session, cycle_id: int) -> list[StageRun]:
    """The newest attempt of each stage of a cycle, in the order they ran."""
    runs = session.exec(
        select(StageRun).where(StageRun.cycle_id == cycle_id).order_by(col(StageRun.id))
    ).all()
    newest = {run.stage: run for run in runs}
    return sorted(newest.values(), key=lambda run: run.id)


def cycle_dict(session, cycle: Cycle, daemon_pid: int | None) -> dict[str, Any]:
    runs = latest_stage_runs(session, cycle.id)
    current = next((r for r in runs if r.status == "running"), runs[-1] if runs else None)
    return {
        "id": cycle.id,
        "status": cycle.status,
        # running, yet no process holds the data directory: it died mid-cycle
        "orphaned": cycle.status == "running" and daemon_pid is None,
        "trigger": cycle.trigger,
        "started_at": iso(cycle.started_at),
        "finished_at": iso(cycle.finished_at),
        "current_stage": current.stage if current else None,
        "stages": [stage_run_dict(run) for run in runs],
    }


CURVE_COLUMNS = {"model_type", "cycle_id", "model_name", "passed", "samples"}


def curve_points(app: App, model_type: str, last: int) -> list[dict[str, Any]]:
    """The last points of the type's learning curve (its models on the fixed test set, from the
    table published as "test_scores"), oldest first; [] without one."""
    table = published(app.plugins).table("test_scores")
    if table is None or not CURVE_COLUMNS <= set(table.columns):
        return []
    with app.db.engine.connect() as connection:
        if not app.db.engine.dialect.has_table(connection, table.name):
            return []
        rows = connection.execute(
            text(
                f'SELECT cycle_id, model_name, passed, samples FROM "{table.name}" '
                "WHERE model_type = :type AND samples > 0 ORDER BY cycle_id DESC, rowid DESC "
                "LIMIT :n"
            ),
            {"type": model_type, "n": last},
        ).all()
    return [
        {
            "cycle": cycle,
            "model": model,
            "passed": passed,
            "samples": samples,
            "rate": round(passed / samples, 4),
        }
        for cycle, model, passed, samples in reversed(rows)
    ]


def gather(app: App) -> dict[str, Any]:
    db = app.db
    types = sorted(set(app.config.types))
    daemon_pid, runner = holding(app.config.data_dir) or (None, None)
    with db.read_session() as session:
        known = session.exec(select(Cycle.model_type).distinct()).all()
        cycles = []
        for model_type in sorted(set(types) | set(known)):
            cycle = session.exec(
                select(Cycle).where(Cycle.model_type == model_type).order_by(col(Cycle.id).desc())
            ).first()
            entry: dict[str, Any] = {
                "model_type": model_type,
                "enabled": model_type in app.config.enabled_types,
                "cycle": None,
                "unfinished": [],
                "curve": curve_points(app, model_type, 2),
            }
            if cycle is not None:
                entry["cycle"] = cycle_dict(session, cycle, daemon_pid)
                # an older cycle still running, or never finished, must not hide behind the newest
                older = session.exec(
                    select(Cycle)
                    .where(
                        Cycle.model_type == model_type,
                        Cycle.status != "done",
                        Cycle.id != cycle.id,
                    )
                    .order_by(col(Cycle.id).desc())
                ).all()
                entry["unfinished"] = [cycle_dict(session, old, daemon_pid) for old in older]
            cycles.append(entry)
        jobs = (
            session.connection()
            .execute(text("SELECT id, next_run_time FROM apscheduler_jobs ORDER BY next_run_time"))
            .all()
        )
    return {
        "data_dir": str(app.config.data_dir),
        "config": str(app.config.path) if app.config.path else "embedded default",
        "daemon_pid": daemon_pid,  # whoever holds the data directory's lock and runs stages
        "runner": runner,  # what it is: daemon, run --once or train
        "schedule_paused": schedule_paused(db),
        "scheduled": [
            {
                "job": job_id,
                "next_run_at": iso(datetime.fromtimestamp(next_run, UTC)) if next_run else None,
            }
            for job_id, next_run in jobs
        ],
        "types": cycles,
    }
