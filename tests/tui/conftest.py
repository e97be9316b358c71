"""A database filled by fixtures, and an app driven at 80×24 with a fixed clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from textual.worker import WorkerState

from modelforge import checklist
from modelforge.models import Cycle, Event, StageRun
from modelforge.tui.app import ForgeApp

NOW = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
COMMANDS = ["checklist", "run", "status", "tui"]
TRACEBACK = (
    'Traceback (most recent call last):\n  File "gen.py", line 3\nRuntimeError: teacher timed out'
)


@pytest.fixture
def plugins(bare_plugins):
    """Only the core: no stage plugin, so no other developer's change moves a snapshot."""
    return bare_plugins


@pytest.fixture(autouse=True)
def config_file(home):
    """One enabled type, whatever the embedded default grows to."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("[types.arith]\nenabled = true\ninterval_minutes = 360\n")


@pytest.fixture(autouse=True)
def docs_evidence(monkeypatch):
    """The docs item names this checkout's path, which differs between machines."""
    monkeypatch.setattr(
        checklist,
        "docs_item",
        lambda names: checklist.Item("docs", "Documentation updated", "done", "pages checked"),
    )


def at(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


def add_cycle(session, model_type, status, start, stages, trigger="schedule") -> Cycle:
    """A cycle with one StageRun per (stage, status, done, total, error) and an event each."""
    cycle = Cycle(model_type=model_type, status=status, trigger=trigger, started_at=at(start))
    session.add(cycle)
    session.flush()
    for offset, (stage, run_status, done, total, error) in enumerate(stages):
        running = run_status == "running"
        session.add(
            StageRun(
                cycle_id=cycle.id,
                stage=stage,
                status=run_status,
                detail="no plugin" if run_status == "skipped" else None,
                plugins=None if run_status == "skipped" else "fixture",
                started_at=at(start + offset * 10),
                duration_s=None if running else 9.5,
                progress_done=done,
                progress_total=total,
                error=error,
                traceback=TRACEBACK if error else None,
                result=None if running or error else {"fixture": {"generated": done}},
            )
        )
        session.add(
            Event(
                ts=at(start + offset * 10 + 1),
                level="error" if error else "info",
                kind=f"stage.{run_status}",
                message=f"{stage} for {model_type}: {run_status} [not markup]",
                cycle_id=cycle.id,
                stage=stage,
            )
        )
    return cycle


@pytest.fixture
def filled(app):
    """arith: a done cycle that trained, then one running generate at 40/100 started 20 s
    before NOW; sound: a failed cycle whose generate raised."""
    done = [(stage, "done", 0, None, None) for stage in ("audit", "generate")]
    done += [("train_srl", "done", 5, 5, None), ("train_rlvr", "done", 5, 5, None)]
    with app.db.session() as session:
        add_cycle(session, "arith", "done", -7200, done)
        add_cycle(
            session,
            "arith",
            "running",
            -30,
            [("audit", "done", 0, None, None), ("generate", "running", 40, 100, None)],
        )
        add_cycle(
            session,
            "sound",
            "failed",
            -3600,
            [
                ("audit", "skipped", 0, None, None),
                ("generate", "failed", 3, 10, "plugin 'fixture' raised RuntimeError: timed out"),
            ],
        )
    return app


@pytest.fixture
def forge(app):
    """The TUI over the test's database: no refresh timer, the clock stopped at NOW."""
    return ForgeApp(app, COMMANDS, refresh_s=0, clock=lambda: NOW)


async def settle_workers(pilot) -> None:
    """Wait until three rounds of messages in a row start no worker: a worker's result can
    post a message (a highlighted row) that starts another worker."""
    quiet = 0
    while quiet < 3:
        await pilot.pause(0.02)  # a delay lets screen refreshes (and call_after_refresh) run
        busy = (WorkerState.PENDING, WorkerState.RUNNING)
        if any(worker.state in busy for worker in pilot.app.workers):
            quiet = 0
            await pilot.app.workers.wait_for_complete()
        else:
            quiet += 1


def run_app(forge: ForgeApp, script) -> None:
    """Run the app at 80×24 and await script(pilot) once the first reads have landed
    (plain asyncio: no async test plugin needed)."""

    async def main():
        async with forge.run_test(size=(80, 24)) as pilot:
            await settle_workers(pilot)
            await script(pilot)

    asyncio.run(main())


@pytest.fixture
def settle():
    """await settle(pilot): every worker finished and its result on the screen."""
    return settle_workers


@pytest.fixture
def drive():
    """drive(forge, script): run the app at 80×24, then await script(pilot)."""
    return run_app
