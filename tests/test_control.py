import json
import threading
import time

import pytest

from modelforge import StageInterrupted, control, daemon, hookimpl
from modelforge.errors import ModelforgeError
from modelforge.lifecycle import LifecycleRunner


@pytest.fixture
def plugins(bare_plugins):
    """These tests are about the core: no first-party stage plugins."""
    return bare_plugins


@pytest.fixture
def runner(app):
    return LifecycleRunner(app.db, app.config, app.plugins)


@pytest.fixture
def scheduler(runner):
    scheduler = daemon.build_scheduler(runner)
    scheduler.start(paused=True)
    daemon.sync_jobs(scheduler, runner.config, ["arith"])
    yield scheduler
    scheduler.remove_all_jobs()  # a stopping APScheduler 3 would still try the due ones
    scheduler.shutdown()


def test_requests_are_validated(app):
    with pytest.raises(ModelforgeError, match="unknown control action 'explode'"):
        control.request(app.db, "explode")
    with pytest.raises(ModelforgeError, match="run_now needs a model type"):
        control.request(app.db, "run_now")


def test_run_now_queues_a_cycle_and_unknown_types_are_refused(app, runner, scheduler):
    control.request(app.db, "run_now", "arith")
    control.request(app.db, "run_now", "ghost")
    daemon.handle_control(scheduler, runner, ["arith"])
    assert scheduler.get_job("requested:arith") is not None
    handled = {r.model_type: r for r in control.recent(app.db)}
    assert handled["arith"].status == "done"
    assert handled["ghost"].status == "refused" and "not scheduled" in handled["ghost"].note
    assert control.pending(app.db) == []


def test_pause_and_resume_the_schedule(app, runner, scheduler):
    control.request(app.db, "pause")
    daemon.handle_control(scheduler, runner, ["arith"])
    assert scheduler.get_job("cycle:arith").next_run_time is None
    assert control.schedule_paused(app.db)
    control.request(app.db, "resume")
    daemon.handle_control(scheduler, runner, ["arith"])
    assert scheduler.get_job("cycle:arith").next_run_time is not None
    assert not control.schedule_paused(app.db)


def test_cancel_stops_the_running_stage_which_resumes_later(app, plugins, runner, scheduler):
    started = threading.Event()

    class Patient:
        cancelled = False

        @hookimpl
        def generate(self, ctx):
            if self.cancelled:
                return {"generated": 1}
            started.set()
            deadline = time.monotonic() + 30
            while not ctx.stop_requested:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            self.cancelled = True
            raise StageInterrupted("cancelled after a checkpoint")

    plugins.register(Patient(), name="patient")
    control.request(app.db, "cancel")
    daemon.handle_control(scheduler, runner, ["arith"])
    assert control.recent(app.db)[-1].status == "refused"

    result = {}
    thread = threading.Thread(target=lambda: result.update(cycle=runner.run_cycle("arith")))
    thread.start()
    assert started.wait(30)
    control.request(app.db, "cancel", "arith")
    daemon.handle_control(scheduler, runner, ["arith"])
    thread.join(30)
    assert result["cycle"].status == "interrupted"
    assert "cancel requested for generate" in control.recent(app.db)[-1].note
    assert runner.run_cycle("arith").status == "done"


def test_control_cli_queues_and_lists(invoke):
    result = invoke("control", "run-now", "arith")
    assert result.exit_code == 0 and "run_now arith queued" in result.stdout
    assert "no daemon is running" in result.stderr
    invoke("control", "pause")
    rows = json.loads(invoke("control", "list", "--json").stdout)
    assert [(r["action"], r["status"]) for r in rows] == [
        ("run_now", "pending"),
        ("pause", "pending"),
    ]
    assert invoke("control", "cancel", "--type", "arith").exit_code == 0
