import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from apscheduler.triggers.cron import CronTrigger

from modelforge import daemon
from modelforge.lifecycle import LifecycleRunner
from modelforge.models import Cycle


@pytest.fixture
def plugins(bare_plugins):
    """These tests are about the core: no first-party stage plugins."""
    return bare_plugins


def write_config(home, text):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(text)


def test_jobs_follow_the_config_and_keep_their_next_run(app, home):
    write_config(
        home, '[types.arith]\ninterval_minutes = 30\n\n[types.other]\ncron = "0 3 * * *"\n'
    )
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    scheduler = daemon.build_scheduler(runner)
    scheduler.start(paused=True)
    try:
        daemon.sync_jobs(scheduler, app.config, ["arith", "other"])
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"cycle:arith", "cycle:other"}
        assert isinstance(jobs["cycle:other"].trigger, CronTrigger)
        first = jobs["cycle:arith"].next_run_time
        time.sleep(0.01)
        daemon.sync_jobs(scheduler, app.config, ["arith"])
        assert [job.id for job in scheduler.get_jobs()] == ["cycle:arith"]
        assert scheduler.get_job("cycle:arith").next_run_time == first
    finally:
        scheduler.shutdown()


def test_a_type_that_never_ran_starts_at_once_and_one_that_ran_waits(app, home):
    from datetime import UTC, datetime, timedelta

    write_config(
        home, "[types.fresh]\ninterval_minutes = 360\n\n[types.old]\ninterval_minutes = 360\n"
    )
    with app.db.session() as session:
        session.add(Cycle(model_type="old", trigger="once", status="done"))
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    scheduler = daemon.build_scheduler(runner)
    scheduler.start(paused=True)
    try:
        started = datetime.now(UTC)
        assert daemon.never_run(runner, ["fresh", "old"]) == {"fresh"}
        daemon.sync_jobs(
            scheduler, app.config, ["fresh", "old"], daemon.never_run(runner, ["fresh", "old"])
        )
        fresh = scheduler.get_job("cycle:fresh").next_run_time
        old = scheduler.get_job("cycle:old").next_run_time
        assert fresh - started < timedelta(seconds=5)
        assert old - started > timedelta(minutes=359)
    finally:
        scheduler.shutdown()


def test_jobs_are_stored_in_the_same_database(app, home):
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    scheduler = daemon.build_scheduler(runner)
    scheduler.start(paused=True)
    daemon.sync_jobs(scheduler, app.config, ["arith"])
    scheduler.shutdown()
    with app.db.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT id FROM apscheduler_jobs").all()
    assert rows == [("cycle:arith",)]


def test_serve_resumes_an_unfinished_cycle_and_stops_on_request(app):
    with app.db.session() as session:
        session.add(Cycle(model_type="arith", status="interrupted"))
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    thread = threading.Thread(target=daemon.serve, args=(runner, ["arith"]))
    thread.start()
    deadline = time.monotonic() + 30
    while runner.unfinished_cycle("arith") is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    runner.stop_event.set()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert runner.unfinished_cycle("arith") is None


def modelforge(*args, env, **kwargs):
    return subprocess.Popen(
        [sys.executable, "-m", "modelforge", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


@pytest.mark.slow
def test_daemon_process_is_alone_and_stops_gracefully_on_sigterm(home):
    env = {**os.environ, "MODELFORGE_HOME": str(home)}
    first = modelforge("run", env=env)
    try:
        deadline = time.monotonic() + 30
        while not (home / "modelforge.pid").exists() or not (home / "modelforge.pid").read_text():
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.1)
        second = modelforge("run", "--once", env=env)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 1
        assert f"(daemon, pid {first.pid}) is already running" in err
    finally:
        first.send_signal(signal.SIGTERM)
        _, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert "SIGTERM received" in err
    assert "Traceback" not in err


def test_status_and_the_tui_show_each_types_next_cycle(app, home, invoke):
    import json
    from datetime import UTC, datetime, timedelta

    from modelforge.lock import DataDirLock
    from modelforge.tui.overview import stages_text
    from modelforge.tui.queries import overview

    write_config(home, '[types.fresh]\ninterval_minutes = 360\n\n[types.old]\ncron = "0 3 * * *"\n')
    with app.db.session() as session:
        session.add(Cycle(model_type="old", trigger="once", status="done"))
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    scheduler = daemon.build_scheduler(runner)
    scheduler.start(paused=True)
    started = datetime.now(UTC)
    daemon.sync_jobs(
        scheduler, app.config, ["fresh", "old"], daemon.never_run(runner, ["fresh", "old"])
    )
    # without a daemon the stored times are not going to happen: status says what would run them
    text = invoke("status").stdout
    assert "schedule: no daemon is running; `modelforge run` runs each type's cycles" in text
    assert "\nfresh: no cycle yet\n" in text and "next cycle" not in text
    with DataDirLock(home, "daemon"):
        data = json.loads(invoke("status", "--json").stdout)
        due = {entry["model_type"]: entry["next_cycle_at"] for entry in data["types"]}
        fresh = datetime.fromisoformat(due["fresh"])
        old = datetime.fromisoformat(due["old"])
        assert fresh - started < timedelta(seconds=5)  # never ran: at once
        assert (old.hour, old.minute) == (3, 0) and old > started  # cron: the next 03:00 UTC
        text = invoke("status").stdout
        assert f"fresh: no cycle yet; next at {due['fresh']}" in text
        assert f"  next cycle at {due['old']}" in text
        rows = {row.model_type: row for row in overview(app).types}
        assert f"next cycle at {due['fresh']}" in stages_text(rows["fresh"]).plain
        assert f"next cycle at {due['old']}" in stages_text(rows["old"]).plain
    scheduler.shutdown()  # only now: a shutdown may advance a due job (APScheduler's own loop)
