"""Two whole cycles through `run --once` with a tiny base: the second trains the first's
champion (lineage down to the base), and `curve --json` gives a point per cycle on the fixed
test set with the cycle's training rewards."""

from __future__ import annotations

import json
import statistics

import pytest
from sqlmodel import col, select

from modelforge.models import Artifact, Event

pytestmark = pytest.mark.slow

TEST_PER_CATEGORY = 4  # arith has two categories

CONFIG = f"""
[types.arith]
enabled = true

[generate]
per_cycle = 8
pool_target = 0
seed = 1

[evaluate]
per_category = 2
test_per_category = {TEST_PER_CATEGORY}
step_similarity_per_category = 0
max_new_tokens = 48

[train]
checkpoint_every = 2
eval_problems_per_level = 0
validation_problems_per_level = 0

[train.embedded]
hidden_size = 32
layers = 1
heads = 2
intermediate_size = 64
pretrain_tokens = 2000
pretrain_batch_size = 8
pretrain_rounds = 1

[train.srl]
max_steps = 2
num_generations = 2
prompts_per_step = 2
max_examples = 4
max_completion_length = 16

[train.rlvr]
max_steps = 2
num_generations = 2
prompts_per_step = 2
max_examples = 4
max_completion_length = 48
"""


def step_rewards(app, cycle_id: int, stage: str) -> list[float]:
    """The per-step mean rewards the trainer reported as events (not read from the lineage)."""
    with app.db.session() as session:
        events = session.exec(
            select(Event).where(
                Event.kind == "train.step", Event.cycle_id == cycle_id, Event.stage == stage
            )
        ).all()
    return [e.data["reward_mean"] for e in events if "reward_mean" in e.data]


def test_two_cycles_chain_and_curve_json(app, home, invoke):
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(CONFIG)
    for _ in range(2):
        result = invoke("run", "--once", "--type", "arith")
        assert result.exit_code == 0, result.output

    with app.db.session() as session:
        trained = session.exec(
            select(Artifact)
            .where(col(Artifact.kind).in_(["srl_model", "rlvr_model"]))
            .order_by(col(Artifact.id))
        ).all()
    srl1, rlvr1, srl2, rlvr2 = trained
    assert (srl1.cycle_id, srl2.cycle_id) == (1, 2)
    assert srl1.lineage["from_artifact"] is None  # the first cycle starts from the base
    assert srl2.lineage["from_artifact"] == rlvr1.id  # the second from the first's champion
    assert rlvr2.lineage["from_artifact"] == srl2.id
    assert rlvr2.lineage["stages"] == ["srl", "rlvr"]  # this cycle's stages: it may serve
    assert rlvr2.lineage["base_model"] == srl1.lineage["base_model"]

    curve = json.loads(invoke("curve", "--type", "arith", "--json").output)["arith"]
    assert [p["cycle"] for p in curve] == [1, 2]
    for point, cycle in zip(curve, (1, 2), strict=True):
        rate = point["pass_rate"]
        assert rate["n"] == 2 * TEST_PER_CATEGORY
        assert rate["low"] <= (rate["rate"] or 0) <= rate["high"]
        assert sum(level["n"] for level in point["by_difficulty"].values()) == rate["n"]
        for stage, key in (("train_srl", "srl_reward"), ("train_rlvr", "rlvr_reward")):
            reported = step_rewards(app, cycle, stage)
            assert point[key] == pytest.approx(statistics.mean(reported), abs=1e-4)

    lineage = json.loads(
        invoke("models", "show", "arith/cycle-2/rlvr", "--lineage", "--json").output
    )["lineage"]
    assert [link.get("artifact_id") for link in lineage[:4]] == [
        rlvr2.id,
        srl2.id,
        rlvr1.id,
        srl1.id,
    ]
    assert lineage[-1]["base"] == srl1.lineage["base_model"]["name"]
    status = json.loads(invoke("status", "--json").output)
    arith = next(t for t in status["types"] if t["model_type"] == "arith")
    assert [p["cycle"] for p in arith["curve"]] == [1, 2]
