"""A tiny base pre-trained for a few steps, SRL then RLVR through the lifecycle runner,
artifacts with lineage, resume after a stop, and the from_pretrained(path) route."""

from __future__ import annotations

import json
import threading

import pytest
from sqlmodel import select

from modelforge.examples import ExampleStore, NewExample
from modelforge.lifecycle import LifecycleRunner
from modelforge.models import Artifact, Cycle, Event
from modelforge.modeltype import Trajectory

pytestmark = pytest.mark.slow

TINY = """
[types.arith]
enabled = true

[train]
checkpoint_every = 2
eval_problems_per_level = 1
validation_problems_per_level = 1
{base}

[train.embedded]
hidden_size = 32
layers = 1
heads = 2
intermediate_size = 64
pretrain_tokens = 2000
pretrain_batch_size = 8

[train.srl]
max_steps = 4
num_generations = 2
prompts_per_step = 2
max_examples = 6
max_completion_length = 16

[train.rlvr]
max_steps = 2
num_generations = 2
prompts_per_step = 2
max_examples = 4
max_completion_length = 96
"""


def fill_store(app, arith, count: int) -> None:
    store = ExampleStore(app.db)
    batch = store.start_batch("arith", requested=count, mix={}, roles={})
    for seed in range(count):
        problem = arith.generate_problem("addition", 2 + seed % 2, 1000 + seed)
        trajectory = Trajectory(problem, tuple(arith.solve(problem)), "x")
        store.add(batch, NewExample("arith", trajectory, {"test": True}), 0.99)
    store.finish_batch(batch)


def write_config(home, base: str = "") -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(TINY.format(base=base))


def new_cycle(app) -> int:
    with app.db.session() as session:
        cycle = Cycle(model_type="arith")
        session.add(cycle)
        session.flush()
        return cycle.id


def stop_after_step(monkeypatch, step: int, stop: threading.Event) -> None:
    """Ask the runner to stop once the given step is reported, as SIGTERM would."""
    from modelforge_train import stage_run

    original = stage_run.reporter_for

    def reporter_for(ctx, spec, stage):
        reporter = original(ctx, spec, stage)
        report = reporter.report

        def report_then_stop(metrics):
            report(metrics)
            if metrics["step"] >= step:
                stop.set()

        reporter.report = report_then_stop
        return reporter

    monkeypatch.setattr(stage_run, "reporter_for", reporter_for)


def steps_reported(app, cycle_id: int) -> list[int]:
    with app.db.session() as session:
        events = session.exec(
            select(Event).where(Event.kind == "train.step", Event.cycle_id == cycle_id)
        ).all()
        return [event.data["step"] for event in events]


def test_srl_then_rlvr_with_resume(app, home, arith, monkeypatch):
    write_config(home)
    fill_store(app, arith, 12)
    cycle_id = new_cycle(app)
    stop = threading.Event()
    stop_after_step(monkeypatch, 2, stop)

    runner = LifecycleRunner(app.db, app.config, app.plugins, stop)
    assert runner.run_stage(cycle_id, "train_srl", "arith") == "interrupted"
    drawn = json.loads(next(home.glob("cycles/*/train_srl/drawn_examples.json")).read_text())
    assert ExampleStore(app.db).unserved_count("arith") == 12 - len(drawn["example_ids"])
    assert list(home.glob("cycles/*/train_srl/checkpoints/checkpoint-2"))

    monkeypatch.undo()
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    assert runner.run_stage(cycle_id, "train_srl", "arith") == "done"
    assert steps_reported(app, cycle_id) == [1, 2, 3, 4]  # resumed at step 3
    assert ExampleStore(app.db).unserved_count("arith") == 12 - len(drawn["example_ids"])
    assert runner.run_stage(cycle_id, "train_rlvr", "arith") == "done"

    with app.db.session() as session:
        srl, rlvr = session.exec(select(Artifact).order_by(Artifact.id)).all()
    assert (srl.kind, rlvr.kind) == ("srl_model", "rlvr_model")
    assert rlvr.lineage["stages"] == ["srl", "rlvr"]
    assert rlvr.lineage["from_artifact"] == srl.id
    assert rlvr.lineage["base_model"]["hash"] == srl.lineage["base_model"]["hash"]
    assert rlvr.lineage["example_ids"]["srl"] == drawn["example_ids"]
    assert rlvr.lineage["rules_version"] == arith.rules.version
    assert rlvr.lineage["metrics"]["steps"] == 2
    assert "held_out_after" in rlvr.lineage["metrics"]
    # checkpoint-2, scored before the stop, is still a candidate after the resume
    validation = srl.lineage["metrics"]["validation"]
    assert {"2", "4"} <= set(validation)
    assert str(srl.lineage["metrics"]["selected_step"]) in validation

    from transformers import AutoModelForCausalLM

    assert AutoModelForCausalLM.from_pretrained(rlvr.path).num_parameters() > 0


def test_a_stop_during_pre_training_caches_nothing_and_the_rerun_makes_the_base(
    app, home, arith, monkeypatch
):
    from modelforge_train import stage_run

    write_config(home)
    fill_store(app, arith, 12)
    cycle_id = new_cycle(app)
    stop = threading.Event()
    original = stage_run.pretrain_progress

    def stop_at_first_step(ctx):
        progress = original(ctx)

        def stopping(step, total, loss):
            stop.set()
            progress(step, total, loss)

        return stopping

    monkeypatch.setattr(stage_run, "pretrain_progress", stop_at_first_step)
    runner = LifecycleRunner(app.db, app.config, app.plugins, stop)
    assert runner.run_stage(cycle_id, "train_srl", "arith") == "interrupted"
    assert not list(home.glob("base_models/*/modelforge_base.json"))

    monkeypatch.undo()
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    assert runner.run_stage(cycle_id, "train_srl", "arith") == "done"
    (record,) = home.glob("base_models/embedded-arith-*/modelforge_base.json")
    assert json.loads(record.read_text())["recipe"]["model_type"][0] == "arith"


def test_a_saved_model_loads_by_path_with_lora(app, home, arith, tiny_model):
    from modelforge_train.embedded_tokenizer import build_tokenizer

    tokenizer = build_tokenizer(["12+34\ncolumn 1: <think></think>2+4+0=6\n"], 256)
    write_config(home, f'base = "{tiny_model(tokenizer, hidden_size=32)}"')
    fill_store(app, arith, 12)
    cycle_id = new_cycle(app)
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    assert runner.run_stage(cycle_id, "train_srl", "arith") == "done"
    assert runner.run_stage(cycle_id, "train_rlvr", "arith") == "done"
    with app.db.session() as session:
        rlvr = session.exec(select(Artifact).where(Artifact.kind == "rlvr_model")).one()
    assert rlvr.lineage["format"] == "peft-adapter"
    assert (home / rlvr.path / "adapter_config.json").exists()


def test_rlvr_without_srl_skips_with_the_reason(app, home, arith):
    write_config(home)
    cycle_id = new_cycle(app)
    runner = LifecycleRunner(app.db, app.config, app.plugins)
    assert runner.run_stage(cycle_id, "train_rlvr", "arith") == "skipped"
    assert runner.run_stage(cycle_id, "train_srl", "arith") == "skipped"  # store is empty


def test_train_command_runs_both_stages_in_a_cycle_of_its_own(app, home, arith, invoke):
    write_config(home)
    fill_store(app, arith, 12)
    result = invoke("train", "--type", "arith", "--max-steps", "1", "--json")
    assert result.exit_code == 0, result.output
    runs = json.loads(result.stdout)
    assert [(r["stage"], r["status"]) for r in runs] == [
        ("train_srl", "done"),
        ("train_rlvr", "done"),
    ]
    summary = runs[1]["result"]["train"]
    assert summary["kind"] == "rlvr_model" and summary["metrics"]["steps"] == 1
    with app.db.session() as session:
        assert session.get(Cycle, runs[0]["cycle_id"]).status == "done"
