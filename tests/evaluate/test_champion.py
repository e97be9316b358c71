"""Cycles build on each other: the next cycle starts from the champion the evaluate plugin names
through the `champion` hook; a regressed artifact is never a start; a candidate waiting for
promotion continues the line; without a selector the core falls back; another base is refused."""

from __future__ import annotations

import pytest
from modelforge_evaluate import stages, track_stage
from modelforge_evaluate.registry_sync import sync_artifacts
from modelforge_train import start
from modelforge_train.base_model import BaseModel
from modelforge_train.settings import TrainSettings

from modelforge import champion
from modelforge.app import App
from modelforge.errors import ModelforgeError
from modelforge.models import Cycle

from .helpers import (
    context,
    fill_scores,
    new_cycle,
    register_trained,
    save_tiny_model,
    write_config,
)

GOOD = {"addition": (22, 24), "multiplication": (22, 24)}
BAD = {"addition": (2, 24), "multiplication": (2, 24)}
BASE = BaseModel("embedded-test", "/nowhere", "x")  # what helpers.LINEAGE names
SETTINGS = TrainSettings()


def trained(app, tmp_path, parent: int | None) -> tuple[int, int]:
    """(cycle, artifact): a new cycle's trained artifact, started from `parent`, registered."""
    cycle_id = new_cycle(app)
    folder = save_tiny_model(tmp_path / f"cycle-{cycle_id}")
    artifact = register_trained(app, folder, cycle_id, {"from_artifact": parent})
    sync_artifacts(app.db, "arith")
    return cycle_id, artifact.id


def start_of_next_cycle(app) -> int | None:
    cycle = new_cycle(app)
    chosen = start.cycle_start(context(app, cycle, "train_srl"), "arith", SETTINGS, BASE)
    return chosen and chosen["artifact_id"]


def evaluated(app, cycle_id: int, scores: dict) -> None:
    for model, score in scores.items():
        fill_scores(app, cycle_id, model, score)
    track_stage.run("arith", context(app, cycle_id, "track"))


def test_the_next_cycle_starts_from_the_champion_and_never_from_a_regressed_one(
    plugins, home, tmp_path
):
    write_config(home)
    app = App(plugins)
    assert start_of_next_cycle(app) is None  # nothing trained yet: the base

    one, first = trained(app, tmp_path, None)
    evaluated(app, one, {f"arith/cycle-{one}/rlvr": GOOD})
    assert start_of_next_cycle(app) == first  # the next cycle trains this cycle's model

    two, second = trained(app, tmp_path, first)
    evaluated(app, two, {f"arith/cycle-{one}/rlvr": GOOD, f"arith/cycle-{two}/rlvr": BAD})
    assert second != first
    assert start_of_next_cycle(app) == first  # the newer model regressed: never a start


def test_a_candidate_waiting_for_promotion_continues_the_incumbents_line(plugins, home, tmp_path):
    write_config(home, "[select]\ncpu_second_price = 0.0\npromotion_cycles = 2\n")
    app = App(plugins)
    one, first = trained(app, tmp_path, None)
    evaluated(app, one, {"arith/cycle-1/rlvr": GOOD})
    decision = stages.select("arith", context(app, one, "select"))["decisions"][0]
    assert decision["promotion"]["action"] == "promote"  # cycle 1's model is the incumbent

    _, child = trained(app, tmp_path, first)  # cycle 2
    three, stranger = trained(app, tmp_path, None)  # from the base, not from the incumbent
    better = {"addition": (24, 24), "multiplication": (24, 24)}
    evaluated(
        app,
        three,
        {"arith/cycle-1/rlvr": GOOD, "arith/cycle-2/rlvr": better, "arith/cycle-3/rlvr": GOOD},
    )
    decision = stages.select("arith", context(app, three, "select"))["decisions"][0]
    assert decision["promotion"]["action"] == "keep"  # the child waits for its clean cycles
    # the child continues the line; the newer stranger is no start while an incumbent serves
    assert stranger > child and start_of_next_cycle(app) == child


def test_without_a_selector_the_newest_artifact_of_a_finished_cycle(bare_plugins, home, tmp_path):
    write_config(home)
    app = App(bare_plugins)
    done, failed = new_cycle(app), new_cycle(app)
    kept = register_trained(app, save_tiny_model(tmp_path / "a"), done).id
    register_trained(app, save_tiny_model(tmp_path / "b"), failed)
    with app.db.session() as session:
        session.get(Cycle, done).status = "done"
        session.get(Cycle, failed).status = "failed"
    chosen = champion.resolve(app.plugins, app.db, app.config, "arith", "rlvr_model")
    assert (chosen.artifact.id, chosen.source) == (kept, "core")


def test_a_champion_on_another_base_is_refused(plugins, home, tmp_path):
    write_config(home)
    app = App(plugins)
    one, _ = trained(app, tmp_path, None)
    evaluated(app, one, {"arith/cycle-1/rlvr": GOOD})
    cycle = new_cycle(app)
    other = BaseModel("embedded-other", "/nowhere", "y")
    with pytest.raises(ModelforgeError, match="the base changed"):
        start.cycle_start(context(app, cycle, "train_srl"), "arith", SETTINGS, other)
    base_start = SETTINGS.model_copy(update={"start": "base"})
    assert start.cycle_start(context(app, cycle, "train_srl"), "arith", base_start, other) is None
