"""Promotion after two clean cycles, a swapped-in worse artifact blocking it, and rollback."""

import shutil

import pytest
from modelforge_evaluate import promotion, stages, track_stage
from modelforge_evaluate.registry_sync import sync_artifacts
from modelforge_evaluate.tables import EvalSample, SelectionDecision
from sqlmodel import select

from modelforge.app import App
from modelforge.errors import ModelforgeError
from modelforge.models import Event
from modelforge.registry import get_model, register_model

from .helpers import (
    context,
    fill_scores,
    new_cycle,
    register_trained,
    save_tiny_model,
    write_config,
)

LINEAGE = {"stages": ["srl", "rlvr"], "rules_version": "1.0.0"}
PAID = {"addition": (20, 24), "multiplication": (20, 24)}
GOOD = {"addition": (23, 24), "multiplication": (23, 24)}
# Local CPU time is free here: what decides is quality and regressions, never how busy the
# machine was while the real evaluation measured the tiny model's CPU seconds.
CONFIG = (
    "[evaluate]\nper_category = 24\nstep_similarity_per_category = 1\nmax_new_tokens = 32\n"
    "[select]\ncpu_second_price = 0.0\n"
)


def setup(plugins, home):
    write_config(home, CONFIG)
    app = App(plugins)
    register_model(
        app.db, "paid", "remote", model_type="arith", provider="openai", price_per_1k_tokens=0.01
    )
    return app


def cycle_with(app, scores_by_model):
    cycle = new_cycle(app)
    for model, scores in scores_by_model.items():
        fill_scores(app, cycle, model, scores)
    track_stage.run("arith", context(app, cycle, "track"))
    return cycle, stages.select("arith", context(app, cycle, "select"))["decisions"][0]


def test_candidate_replaces_incumbent_after_two_clean_cycles_and_rolls_back(plugins, home):
    app = setup(plugins, home)
    _, first = cycle_with(app, {"paid": PAID})
    assert first["promotion"]["action"] == "promote" and first["model"] == "paid"
    register_model(
        app.db, "local", "local", model_type="arith", lineage=LINEAGE, cpu_seconds_per_1k_tokens=1.0
    )
    _, second = cycle_with(app, {"paid": PAID, "local": GOOD})
    assert second["best"] == "local" and second["model"] == "paid"
    assert "1 of 2 clean" in second["promotion"]["why"]
    _, third = cycle_with(app, {"paid": PAID, "local": GOOD})
    assert third["promotion"]["action"] == "promote" and third["model"] == "local"
    assert get_model(app.db, "local").status == "incumbent"
    assert get_model(app.db, "paid").status == "candidate"

    back = promotion.rollback(app.db, "arith")
    assert back == {"responsibility": "arith", "model": "paid", "previous": "local"}
    assert get_model(app.db, "paid").status == "incumbent"
    with app.db.session() as session:
        actions = [d.action for d in session.exec(select(SelectionDecision))]
        kinds = {e.kind for e in session.exec(select(Event))}
    assert actions == ["promote", "keep", "promote", "rollback"]
    assert {"model.promoted", "model.rolled_back"} <= kinds


def test_rollback_without_a_previous_model_is_a_user_error(plugins, home):
    app = setup(plugins, home)
    with pytest.raises(ModelforgeError, match="no earlier model"):
        promotion.rollback(app.db, "arith")


def test_swapped_in_worse_artifact_regresses_and_blocks_promotion(plugins, home, tmp_path):
    app = setup(plugins, home)
    cycle_with(app, {"paid": PAID})
    # The trainer's cycle-2 artifact, registered, then evaluated (stored by hand) as good.
    second = new_cycle(app)
    folder = save_tiny_model(tmp_path / "model", eos_bias=50.0)
    register_trained(app, folder, second)
    assert sync_artifacts(app.db, "arith") == ["arith/cycle-2/rlvr"]
    name = "arith/cycle-2/rlvr"
    assert get_model(app.db, name).tier == "tiny"
    _, decision = cycle_with(app, {"paid": PAID, name: GOOD})
    assert decision["best"] == name and decision["model"] == "paid"  # 1 of 2 clean cycles
    # Now its files are swapped for a worse model: the real evaluation of cycle 4 catches it.
    worse = save_tiny_model(tmp_path / "worse", seed=1, eos_bias=50.0)
    shutil.rmtree(folder)
    shutil.copytree(worse, folder)
    fourth = new_cycle(app)
    evaluated = stages.evaluate("arith", context(app, fourth, "evaluate"))
    scored = {m["model"]: m for m in evaluated["models"]}
    assert scored[name]["overall"]["passed"] == 0 and evaluated["problems"] == 48
    assert evaluated["not_evaluated"] == {
        "paid": "remote models are not run by the local evaluator"
    }
    result = track_stage.run("arith", context(app, fourth, "track"))
    assert {r["category"] for r in result["regressions"]} >= {"*"}
    with app.db.session() as session:
        regression = session.exec(select(Event).where(Event.kind == "track.regression")).all()
        samples = session.exec(select(EvalSample)).all()
    assert regression and {e.cycle_id for e in regression} == {fourth}
    assert all(not s.ok and s.rule == "format" for s in samples) and samples[0].input
    # Restored, it is the best again, but the regression stands between it and promotion.
    fill_scores(app, fourth, name, GOOD)  # a later evaluation: quality alone would win
    decision = stages.select("arith", context(app, fourth, "select"))["decisions"][0]
    assert decision["best"] == name and decision["model"] == "paid"
    assert "regression in cycle" in decision["promotion"]["why"]
