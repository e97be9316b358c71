"""`modelforge train` resumes the type's unfinished cycle (same examples, from its checkpoint),
holds the data-directory lock while it runs, and stops at a step boundary on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlmodel import col, select

from modelforge.examples import ExampleStore
from modelforge.lock import DataDirLock
from modelforge.models import Artifact, Cycle, Event, StageRun

from .test_end_to_end import TINY, fill_store, steps_reported

# the end-to-end tests' tiny budgets, less the held-out and validation scoring (not tested here)
LEANER = TINY.replace("eval_problems_per_level = 1", "eval_problems_per_level = 0").replace(
    "validation_problems_per_level = 1", "validation_problems_per_level = 0"
)


def write_config(home) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(LEANER.format(base=""))


SRL = ("train", "--type", "arith", "--stage", "srl")


def test_a_second_runner_is_refused_naming_the_pid(app, home, invoke):
    write_config(home)
    with DataDirLock(home):
        result = invoke("train", "--type", "arith")
    assert result.exit_code == 1
    assert f"(run, pid {os.getpid()}) is already running" in result.stderr


def modelforge(*args: str, home) -> subprocess.Popen:
    env = {**os.environ, "MODELFORGE_HOME": str(home)}
    env.pop("MODELFORGE_LOAD_PLUGINS", None)  # every installed plugin, the trainer included
    return subprocess.Popen(
        [sys.executable, "-m", "modelforge", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, process: subprocess.Popen, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"train ended early ({process.returncode}): {process.stderr.read()}")
        assert time.monotonic() < deadline, "timed out waiting for train"
        time.sleep(0.05)


def checkpoint_steps(home) -> list[int]:
    return sorted(
        int(folder.name.split("-")[1])
        for folder in home.glob("cycles/*/train_srl/checkpoints/checkpoint-*")
        if (folder / "trainer_state.json").exists()  # written last: the checkpoint is whole
    )


def cycle_entry(app) -> dict:
    from modelforge.status import gather

    status = gather(app)
    entry = next(e for e in status["types"] if e["model_type"] == "arith")
    return {"holder": status["daemon_pid"], **entry["cycle"]}


@pytest.mark.slow
def test_a_killed_train_resumes_its_cycle_examples_and_checkpoint(app, home, arith):
    write_config(home)  # a checkpoint every 2 steps
    fill_store(app, arith, 12)
    first = modelforge(*SRL, "--max-steps", "4", home=home)
    try:
        wait_for(lambda: checkpoint_steps(home), first)
        alive = cycle_entry(app)
        assert (alive["holder"], alive["status"], alive["orphaned"]) == (
            first.pid,
            "running",
            False,
        )
    finally:
        first.kill()
        first.wait(timeout=30)
    dead = cycle_entry(app)
    assert (dead["holder"], dead["status"], dead["orphaned"]) == (None, "running", True)
    last = checkpoint_steps(home)[-1]
    assert last < 4, "killed too late to test a resume"
    (record,) = home.glob("cycles/*/train_srl/drawn_examples.json")
    drawn = json.loads(record.read_text())["example_ids"]
    unserved = ExampleStore(app.db).unserved_count("arith")
    killed_cycle = dead["id"]
    steps_before = steps_reported(app, killed_cycle)

    second = modelforge(*SRL, "--max-steps", "4", home=home)
    out, err = second.communicate(timeout=300)
    assert second.returncode == 0, err
    assert out.startswith("train_srl: done")
    with app.db.session() as session:
        cycles = [(c.id, c.status) for c in session.exec(select(Cycle)).all()]
        (artifact,) = session.exec(select(Artifact)).all()
        kinds = session.exec(select(Event.kind).order_by(col(Event.id))).all()
    assert cycles == [(killed_cycle, "done")]
    assert "cycle.resumed" in kinds
    assert ExampleStore(app.db).unserved_count("arith") == unserved  # nothing new served
    assert artifact.lineage["example_ids"]["srl"] == drawn
    assert steps_reported(app, killed_cycle)[len(steps_before) :] == list(range(last + 1, 5))
    assert artifact.lineage["metrics"]["steps"] == 4


@pytest.mark.slow
def test_sigterm_stops_train_at_a_step_with_a_checkpoint_and_a_second_is_refused(app, home, arith):
    write_config(home)
    fill_store(app, arith, 12)
    first = modelforge(*SRL, "--max-steps", "50", home=home)
    try:
        wait_for(lambda: steps_reported(app, 1), first)
        second = modelforge(*SRL, home=home)
        _, err = second.communicate(timeout=60)
        assert second.returncode == 1
        assert f"(train, pid {first.pid}) is already running" in err
    finally:
        first.send_signal(signal.SIGTERM)
        out, err = first.communicate(timeout=120)
    assert first.returncode == 1, err  # a stage interrupted
    assert "SIGTERM received" in err and "Traceback" not in err
    assert out.startswith("train_srl: interrupted (srl stopped at step ")
    with app.db.session() as session:
        run = session.exec(select(StageRun).where(StageRun.stage == "train_srl")).one()
        cycle = session.get(Cycle, run.cycle_id)
    assert (run.status, cycle.status) == ("interrupted", "interrupted")
    stopped_at = int(run.error.split("step ")[1].split(";")[0])
    assert stopped_at in checkpoint_steps(home)  # saved at the step it stopped on

    resumed = modelforge(*SRL, "--max-steps", str(stopped_at + 1), home=home)
    _, err = resumed.communicate(timeout=300)
    assert resumed.returncode == 0, err
    assert steps_reported(app, cycle.id)[-1:] == [stopped_at + 1]
    with app.db.session() as session:
        assert session.get(Cycle, cycle.id).status == "done"
