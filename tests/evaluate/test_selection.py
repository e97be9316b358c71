"""The cost-benefit rule over candidate tables built by hand."""

import random

import numpy as np
import pytest
from modelforge_evaluate.candidates import NEVER
from modelforge_evaluate.choice import answer
from modelforge_evaluate.selection import CandidateTable, decide, reasons
from modelforge_evaluate.settings import ResponsibilitySettings


def table(rows):
    """rows: (name, blocked, [(passed, n) per category], cost per 1k, latency ms)."""
    return CandidateTable(
        model_type="arith",
        names=[r[0] for r in rows],
        kinds=["local"] * len(rows),
        tiers=["tiny"] * len(rows),
        statuses=["candidate"] * len(rows),
        blocked=[r[1] for r in rows],
        categories=["addition", "multiplication"],
        passed=np.array([[p for p, _ in r[2]] for r in rows], dtype=float),
        samples=np.array([[n for _, n in r[2]] for r in rows], dtype=float),
        cost_per_1k=np.array([r[3] for r in rows], dtype=float),
        latency_ms=np.array([r[4] for r in rows], dtype=float),
    )


ROWS = [
    ("big", None, [(48, 50), (47, 50)], 0.010, 300.0),
    ("small", None, [(45, 50), (44, 50)], 0.001, 50.0),
    ("weak", None, [(10, 50), (12, 50)], 0.0001, 10.0),
    ("old-pipeline", NEVER, [(50, 50), (50, 50)], 0.00001, 5.0),
    ("new", None, [(3, 4), (4, 4)], 0.00005, 5.0),
]


def test_cheapest_model_meeting_the_floor_wins():
    decision = decide(
        table(ROWS),
        ResponsibilitySettings(model_type="arith", min_quality=0.7),
        z=1.96,
        min_samples=20,
    )
    assert decision.model == "small" and decision.met


def test_reasons_list_every_candidate_with_its_figures():
    decision = decide(
        table(ROWS),
        ResponsibilitySettings(model_type="arith", min_quality=0.7),
        z=1.96,
        min_samples=20,
    )
    listed = {r["model"]: r for r in reasons(decision)}
    assert set(listed) == {row[0] for row in ROWS}
    small = listed["small"]
    assert small["chosen"] and small["failed"] == []
    assert (
        small["quality"]["n"] == 100 and small["quality"]["low"] < 0.89 < small["quality"]["high"]
    )
    assert small["cost_per_call"] == pytest.approx(0.0005) and small["latency_ms"] == 50.0
    assert "utility" in small
    assert any("floor" in f for f in listed["weak"]["failed"])
    assert listed["old-pipeline"]["failed"][0] == NEVER and not listed["old-pipeline"]["chosen"]
    assert any("too little evidence" in f for f in listed["new"]["failed"])
    assert listed["new"]["explored"] and decision.exploration == ["new"]


def test_must_retrain_is_never_selected_even_when_best_and_cheapest():
    only_old = [ROWS[3], ROWS[2]]
    decision = decide(
        table(only_old), ResponsibilitySettings(model_type="arith"), z=1.96, min_samples=20
    )
    assert decision.model == "weak" and not decision.met


def test_limits_and_utility_rule():
    resp = ResponsibilitySettings(model_type="arith", min_quality=0.7, max_latency_ms=40)
    assert decide(table(ROWS), resp, z=1.96, min_samples=20).model is not None
    limited = decide(table(ROWS[:2]), resp, z=1.96, min_samples=20)
    assert not limited.met  # both too slow: the best lower bound is kept, flagged
    costly = ResponsibilitySettings(model_type="arith", min_quality=0.7, max_cost_per_call=0.001)
    assert decide(table(ROWS[:2]), costly, z=1.96, min_samples=20).model == "small"
    quality_first = ResponsibilitySettings(model_type="arith", rule="utility", cost_weight=0.0)
    assert decide(table(ROWS), quality_first, z=1.96, min_samples=20).model == "big"
    price_minded = ResponsibilitySettings(model_type="arith", rule="utility", cost_weight=100.0)
    assert decide(table(ROWS[:2]), price_minded, z=1.96, min_samples=20).model == "small"


def test_categories_narrow_what_quality_means():
    rows = [
        ("adder", None, [(50, 50), (0, 50)], 0.001, 1.0),
        ("multiplier", None, [(0, 50), (50, 50)], 0.002, 1.0),
    ]
    resp = ResponsibilitySettings(model_type="arith", categories=["multiplication"])
    assert decide(table(rows), resp, z=1.96, min_samples=20).model == "multiplier"


def test_exploration_takes_its_share_of_traffic(app):
    resp = ResponsibilitySettings(model_type="arith", min_quality=0.7)
    rng = random.Random(7)
    picks = [
        answer("arith", resp, table(ROWS), None, app.config, rng)["model"] for _ in range(4000)
    ]
    share = picks.count("new") / len(picks)
    assert 0.035 < share < 0.065  # the default exploration_share is 0.05
    assert set(picks) == {"small", "new"}


def test_the_incumbent_serves_until_replaced(app):
    resp = ResponsibilitySettings(model_type="arith", min_quality=0.7)
    served = answer("arith", resp, table(ROWS), "big", app.config)
    assert served["model"] == "big" and served["best"] == "small"
    assert "until small is promoted" in served["why"]
    blocked = answer("arith", resp, table(ROWS), "old-pipeline", app.config)
    assert blocked["model"] == "small"
