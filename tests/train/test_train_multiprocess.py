"""`modelforge train --launcher accelerate` with two processes (CPUs, gloo): only the main one
opens the cycle, draws the examples and registers the artifact; the other trains with it on
what it drew, and the run ends."""

from __future__ import annotations

import subprocess

import pytest
from sqlmodel import select

from modelforge.examples.models import Example
from modelforge.models import Artifact, Cycle, Event, StageRun

from .test_train_resume import LEANER, modelforge


@pytest.mark.slow
def test_two_processes_share_one_cycle_one_draw_and_one_artifact(app, home, arith):
    from .test_end_to_end import fill_store

    home.mkdir(parents=True, exist_ok=True)
    config = LEANER.format(base="").replace("[train]\n", "[train]\nnum_processes = 2\n", 1)
    (home / "config.toml").write_text(config)
    fill_store(app, arith, 12)

    args = ("--type", "arith", "--stage", "srl", "--max-steps", "2", "--launcher", "accelerate")
    train = modelforge("train", *args, home=home)
    try:
        out, err = train.communicate(timeout=240)
    except subprocess.TimeoutExpired:
        train.kill()
        out, err = train.communicate()
        pytest.fail(f"two-process train did not finish: {err[-3000:]}")
    assert train.returncode == 0, err[-3000:]
    assert out.count("train_srl: done") == 1, out  # the main process alone reports
    assert "Traceback" not in err
    (checkpoint,) = home.glob("cycles/*/train_srl/checkpoints/checkpoint-2")
    rng_states = sorted(path.name for path in checkpoint.glob("rng_state*"))
    assert rng_states == ["rng_state_0.pth", "rng_state_1.pth"]  # two processes trained

    with app.db.session() as session:
        (cycle,) = session.exec(select(Cycle)).all()
        (run,) = session.exec(select(StageRun)).all()
        (artifact,) = session.exec(select(Artifact)).all()
        served = session.exec(select(Example).where(Example.served_to.is_not(None))).all()
        kinds = session.exec(select(Event.kind)).all()
    assert (cycle.status, run.status, artifact.cycle_id) == ("done", "done", cycle.id)
    assert sorted(e.id for e in served) == artifact.lineage["example_ids"]["srl"]
    assert {e.served_to for e in served} == {f"train_srl:cycle-{cycle.id}"}
    assert len(served) == 6  # [train.srl] max_examples: one draw
    assert artifact.lineage["metrics"]["steps"] == 2
    assert "cycle.interrupted" not in kinds  # no rank took the main one's cycle for dead
    assert kinds.count("train.step") == 2
