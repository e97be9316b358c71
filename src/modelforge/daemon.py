"""The daemon: APScheduler 3 runs a cycle per enabled model type on its schedule.

The job store lives in the same SQLite database, so schedules survive restarts. Jobs run
one at a time on a single worker thread; SIGINT/SIGTERM set the stop event, the running
stage is asked to checkpoint, and the interrupted cycle resumes on the next start.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from modelforge import control
from modelforge.config import Config
from modelforge.lifecycle import LifecycleRunner

log = logging.getLogger("modelforge.daemon")

# Jobs in a persistent store are referenced by import path, so the running daemon's runner
# is published here for scheduled_cycle to use.
_runner: LifecycleRunner | None = None
CONTROL_POLL_S = 1.0


def scheduled_cycle(model_type: str) -> None:
    """The scheduled job: run (or resume) one cycle of model_type."""
    if _runner is None or _runner.stop_event.is_set():
        return
    try:
        _runner.run_cycle(model_type, trigger="schedule")
    except Exception:  # a cycle never takes the daemon down; the stage run holds the details
        log.exception("cycle for %s failed", model_type)


def trigger_for(config: Config, model_type: str):
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    section = config.types[model_type]
    timezone = config.section("daemon").timezone
    if section.cron:
        return CronTrigger.from_crontab(section.cron, timezone=timezone)
    return IntervalTrigger(minutes=section.interval_minutes, timezone=timezone)


def build_scheduler(runner: LifecycleRunner):
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    daemon_config = runner.config.section("daemon")
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=runner.db.engine)},
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": daemon_config.misfire_grace_seconds,
        },
        timezone=daemon_config.timezone,
    )


def sync_jobs(
    scheduler, config: Config, types: list[str], start_now: frozenset[str] = frozenset()
) -> None:
    """Make the stored jobs match the config; an unchanged schedule keeps its next run time.

    A type in start_now (one that has never run) has its first cycle now, not one interval
    after the daemon started; its schedule carries on from there.
    """
    wanted = {f"cycle:{name}": name for name in types}
    for job in scheduler.get_jobs():
        if job.id.startswith("cycle:") and job.id not in wanted:
            scheduler.remove_job(job.id)
    now = datetime.now(UTC)
    for job_id, model_type in wanted.items():
        trigger = trigger_for(config, model_type)
        existing = scheduler.get_job(job_id)
        if existing is not None and str(existing.trigger) == str(trigger):
            if model_type in start_now:
                scheduler.modify_job(job_id, next_run_time=now)
            continue
        first = {"next_run_time": now} if model_type in start_now else {}
        scheduler.add_job(
            scheduled_cycle,
            trigger,
            args=[model_type],
            id=job_id,
            name=f"cycle for {model_type}",
            replace_existing=True,
            **first,
        )


def never_run(runner: LifecycleRunner, types: list[str]) -> frozenset[str]:
    """The types with no cycle at all in the database."""
    from sqlmodel import select

    from modelforge.models import Cycle

    with runner.db.session() as session:
        ran = set(session.exec(select(Cycle.model_type).distinct()).all())
    return frozenset(name for name in types if name not in ran)


def set_paused(scheduler, paused: bool) -> None:
    """Pause or resume the cycle schedules; one-off jobs (run now, resume) still run.

    Only paused jobs are resumed: resuming recomputes the next run time.
    """
    for job in scheduler.get_jobs():
        if not job.id.startswith("cycle:"):
            continue
        if paused:
            scheduler.pause_job(job.id)
        elif job.next_run_time is None:
            scheduler.resume_job(job.id)


def queue_cycle(scheduler, model_type: str, why: str) -> None:
    """Run (or resume) a cycle of model_type as soon as the worker is free."""
    scheduler.add_job(
        scheduled_cycle,
        args=[model_type],
        id=f"{why}:{model_type}",
        name=f"cycle for {model_type} ({why})",
        replace_existing=True,
    )


def handle_control(scheduler, runner: LifecycleRunner, types: list[str]) -> None:
    """Carry out the pending control requests, oldest first."""
    for entry in control.pending(runner.db):
        if entry.action == "run_now":
            if entry.model_type not in types:
                control.settle(
                    runner.db, entry, "refused", f"'{entry.model_type}' is not scheduled here"
                )
                continue
            queue_cycle(scheduler, entry.model_type, "requested")
            control.settle(runner.db, entry, "done", f"cycle for {entry.model_type} queued")
        elif entry.action in ("pause", "resume"):
            set_paused(scheduler, entry.action == "pause")
            control.settle(runner.db, entry, "done", f"schedule {entry.action}d")
        elif entry.action == "cancel":
            current = runner.current
            if current is None or entry.model_type not in (None, current["model_type"]):
                control.settle(runner.db, entry, "refused", "no stage of that type is running")
                continue
            runner.cancel_event.set()
            where = f"{current['stage']} of cycle {current['cycle_id']} ({current['model_type']})"
            control.settle(runner.db, entry, "done", f"cancel requested for {where}")


@contextmanager
def stop_on_signals(stop_event: threading.Event) -> Iterator[None]:
    """First SIGINT/SIGTERM asks for a graceful stop; a second SIGINT interrupts at once.

    The previous handlers come back afterwards (the CLI may run inside another program).
    """

    def handle(signum, _frame):
        name = signal.Signals(signum).name
        if stop_event.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop_event.set()
        print(f"modelforge: {name} received, stopping after this step", file=sys.stderr)

    previous = {signum: signal.signal(signum, handle) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def serve(runner: LifecycleRunner, types: list[str]) -> None:
    """Run until the stop event is set; resume unfinished cycles first; poll control requests."""
    global _runner
    _runner = runner
    scheduler = build_scheduler(runner)
    scheduler.start(paused=True)
    try:
        sync_jobs(scheduler, runner.config, types, never_run(runner, types))
        set_paused(scheduler, control.schedule_paused(runner.db))
        for model_type in types:
            if runner.unfinished_cycle(model_type) is not None:
                queue_cycle(scheduler, model_type, "resume")
        scheduler.resume()
        for job in scheduler.get_jobs():
            log.info("scheduled %s: next run %s", job.name, job.next_run_time)
        while not runner.stop_event.wait(CONTROL_POLL_S):
            try:
                handle_control(scheduler, runner, types)
            except Exception:  # a bad request or a busy database never stops the daemon
                log.exception("handling control requests failed; retrying")
    finally:
        scheduler.shutdown(wait=True)
        _runner = None
