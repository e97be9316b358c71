"""DynamicSamplingGRPOTrainer._calculate_rewards: TRL's per-function rewards pass through
unchanged, and beside them the trainer keeps this process's weighted totals, which dynamic
sampling judges groups by. Two weighted reward functions, an abstention (None, so NaN), and
process 1 of two, where TRL's gather puts process 0's rows first; every total by hand."""

from __future__ import annotations

import math

import pytest
import torch

WEIGHTS = [2.0, 0.5]
# this process's four completions: (reward a, reward b); None abstains
LOCAL = [(1.0, 0.0), (0.0, 1.0), (0.25, None), (None, None)]
# the other process's rows, which a slice from the wrong start would pick up
PROCESS_0 = [[9.0, 9.0]] * 4


def reward_a(completions, a, **_):
    return a


def reward_b(completions, b, **_):
    return b


@pytest.fixture
def process_1_of_2(monkeypatch):
    """This process is number 1, and gathering puts process 0's rows before its own."""
    import trl.trainer.grpo_trainer as grpo
    from accelerate import Accelerator

    monkeypatch.setattr(Accelerator, "process_index", property(lambda self: 1))
    monkeypatch.setattr(grpo, "gather", lambda local: torch.cat([torch.tensor(PROCESS_0), local]))


def test_weighted_totals_of_this_process_are_kept_and_per_function_rewards_returned(
    make_trainer, process_1_of_2
):
    trainer = make_trainer(groups=2, reward_funcs=(reward_a, reward_b), reward_weights=WEIGHTS)
    inputs = [{"prompt": f"p{i}", "a": a, "b": b} for i, (a, b) in enumerate(LOCAL)]
    prompts = [row["prompt"] for row in inputs]

    per_func = trainer._calculate_rewards(inputs, prompts, ["c"] * 4, [[1]] * 4)

    # TRL's gathered table, process 0 first, abstentions as NaN, not yet weighted
    nan = math.nan
    expected = PROCESS_0 + [[1.0, 0.0], [0.0, 1.0], [0.25, nan], [nan, nan]]
    assert torch.equal(per_func.isnan(), torch.tensor(expected).isnan())
    assert per_func.nan_to_num(-7).tolist() == torch.tensor(expected).nan_to_num(-7).tolist()
    # this process's rows only: 2*1 + .5*0, 2*0 + .5*1, 2*.25 with b abstaining, and
    # NaN where every function abstained (not 0, which would read as a real reward)
    totals = trainer._last_rewards.tolist()
    assert totals[:3] == [2.0, 0.5, 0.5]
    assert math.isnan(totals[3])
    assert len(totals) == 4
