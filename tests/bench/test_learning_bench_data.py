"""The learning benchmark's data and control, without training: a fresh run never sees a
problem twice nor one it is scored on, and the shuffled control keeps the rewards' values
while losing which completion earned them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "srl_vs_baselines.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("srl_vs_baselines", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def texts(examples) -> list[str]:
    return [e.trajectory().problem.text for e in examples]


def test_a_fresh_run_draws_each_problem_once_apart_from_every_scored_split(bench):
    from modelforge_arith.model_type import Arith

    # 2 digits: 8,100 sums, so that draws made without care would collide (~5 expected)
    mode = {"test_problems": 16, "curve_problems": 4}
    splits = bench.Splits(Arith(), 2, mode)
    pool, refill = splits.fresh(seed=0, budget=8_000, method="rlvr")

    assert len(pool) == len(refill) == 200  # one problem per 40 tokens of budget
    drawn = texts(pool) + texts(refill)
    assert len(set(drawn)) == len(drawn)  # none twice, sampler and refill disjoint
    scored = {p.text for p in splits.test + splits.validation + splits.curve}
    assert len(scored) == 16 + 16 + 4
    assert not scored & set(drawn)
    assert not set(drawn) & {t for s in splits.fixed.values() for t in texts(s)}
    # every problem is the level asked for, with the expert's solution
    for example in pool[:20]:
        problem = example.trajectory().problem
        a, b = problem.text.split("+")
        assert len(a) == len(b) == 2 and problem.category == "addition"
        assert example.trajectory().steps[-1].action == f"ans={int(a) + int(b)}"


def test_another_seed_or_method_draws_other_problems(bench):
    from modelforge_arith.model_type import Arith

    splits = bench.Splits(Arith(), 3, {"test_problems": 4, "curve_problems": 2})
    first, _ = splits.fresh(seed=0, budget=4_000, method="rlvr")
    again, _ = splits.fresh(seed=0, budget=4_000, method="rlvr")
    other, _ = splits.fresh(seed=1, budget=4_000, method="rlvr")

    assert texts(first) == texts(again)  # seeded: the same run draws the same problems
    assert len(set(texts(first)) & set(texts(other))) < 10  # 100 of 810,000 pairs each


def test_the_shuffled_control_permutes_each_batch_of_rewards(bench):
    calls = []

    def reward(completions, **_):
        calls.append(completions)
        return [float(len(c)) for c in completions]

    control = bench.shuffled(reward, seed=0)
    completions = [("x" * n) for n in range(12)]

    scores = control(completions=completions, prompts=["p"] * 12)

    assert sorted(scores) == [float(n) for n in range(12)]  # the same values
    assert scores != [float(n) for n in range(12)]  # not where they were earned
    assert calls == [completions]
    assert control.__name__ == "reward_shuffled"
