"""How long the TUI's reads take with 100,000 events: overview refresh, job pages, events.

Prints figures; it does not pass or fail. Run: .venv/bin/python bench/tui_refresh.py
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta

EVENTS = 100_000
CYCLES = 500  # × 8 stage runs = 4,000 stage runs
REPEATS = 20


def fill(db) -> None:
    from sqlalchemy import text

    from modelforge.lifecycle import STAGES

    start = datetime(2025, 1, 1, tzinfo=UTC)
    with db.engine.begin() as connection:
        connection.execute(
            text(
                'INSERT INTO cycles (model_type, status, "trigger", started_at) VALUES '
                "(:type, 'done', 'schedule', :at)"
            ),
            [{"type": "arith", "at": start + timedelta(hours=n)} for n in range(CYCLES)],
        )
        connection.execute(
            text(
                "INSERT INTO stage_runs (cycle_id, stage, status, started_at, progress_done) "
                "VALUES (:cycle, :stage, 'done', :at, 0)"
            ),
            [
                {"cycle": cycle, "stage": stage, "at": start}
                for cycle in range(1, CYCLES + 1)
                for stage in STAGES
            ],
        )
        connection.execute(
            text(
                "INSERT INTO events (ts, level, kind, message, cycle_id, stage) "
                "VALUES (:at, 'info', 'step', :message, :cycle, :stage)"
            ),
            [
                {
                    "at": start + timedelta(seconds=n),
                    "message": f"event {n}",
                    "cycle": CYCLES if n % 2 else 1 + n % CYCLES,  # half on the newest cycle
                    "stage": "generate",
                }
                for n in range(EVENTS)
            ],
        )


def timed(label: str, call) -> None:
    samples = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        call()
        samples.append((time.perf_counter() - began) * 1000)
    print(f"{label:<44} median {statistics.median(samples):7.2f} ms   max {max(samples):7.2f} ms")


async def screen_refresh(forge) -> None:
    """Wall time from a refresh key to the table filled, on the overview and on jobs."""
    async with forge.run_test(size=(80, 24)) as pilot:
        for key, label in (("1", "overview"), ("3", "jobs")):
            await pilot.press(key)
            await pilot.pause(0.2)
            samples = []
            for _ in range(10):
                began = time.perf_counter()
                await pilot.press("f5")
                await pilot.pause()
                await forge.workers.wait_for_complete()
                await pilot.pause()
                samples.append((time.perf_counter() - began) * 1000)
            median = statistics.median(samples)
            print(f"{'TUI f5 to screen (with pilot waits), ' + label:<44} median {median:7.2f} ms")
        began = time.perf_counter()
        for _ in range(50):
            await pilot.press("pagedown")
        await pilot.pause()
        total = (time.perf_counter() - began) * 1000
        print(f"{'TUI 50 × page down in the jobs table':<44} total  {total:7.2f} ms")


def main() -> None:
    os.environ["MODELFORGE_HOME"] = tempfile.mkdtemp(prefix="tui-bench-")
    os.environ["MODELFORGE_LOAD_PLUGINS"] = ""
    from modelforge.app import App
    from modelforge.plugins import load_plugins
    from modelforge.tui.app import ForgeApp
    from modelforge.tui.queries import job_page, overview, run_events

    app = App(load_plugins())
    began = time.perf_counter()
    fill(app.db)
    print(f"filled {EVENTS} events, {CYCLES * 8} stage runs in {time.perf_counter() - began:.1f} s")
    oldest = job_page(app.db, [])[-1].id
    timed("overview (status.gather + extras)", lambda: overview(app))
    timed("jobs: newest page of 100 stage runs", lambda: job_page(app.db, []))
    timed("jobs: an older page (keyset)", lambda: job_page(app.db, [], before_id=oldest - 3000))
    timed("jobs: filtered page ('generate done')", lambda: job_page(app.db, ["generate", "done"]))
    newest = CYCLES  # the cycle that holds half the events
    timed(
        "events of a 50,000-event run (newest 200)", lambda: run_events(app.db, newest, "generate")
    )
    timed("events of a run with 100 events (200)", lambda: run_events(app.db, 7, "generate"))
    asyncio.run(screen_refresh(ForgeApp(app, ["tui"], refresh_s=0)))


if __name__ == "__main__":
    main()
