"""The category mix: shares sum to one, coverage and weaknesses pull, the floor holds; the
edge mix leans to the champion's pass rates near one half."""

import random

import pytest
from modelforge_generate.edge import Competence, weights
from modelforge_generate.mix import allocate, floored, plan, shares


def test_uniform_without_weaknesses_or_examples():
    assert shares(["a", "b"], {}, None, floor=0.1, weakness_weight=0.5) == {"a": 0.5, "b": 0.5}


def test_coverage_favours_categories_with_few_examples():
    share = shares(["a", "b"], {"a": 100, "b": 0}, None, floor=0.1, weakness_weight=0.5)
    assert share["b"] > 0.85 and share["a"] >= 0.1
    assert abs(sum(share.values()) - 1) < 1e-9


def test_weaknesses_pull_and_the_floor_holds():
    share = shares(["a", "b", "c"], {}, {"c": 1.0}, floor=0.2, weakness_weight=1.0)
    assert share == {"a": 0.2, "b": 0.2, "c": 0.6000000000000001} or abs(share["c"] - 0.6) < 1e-9
    assert min(share.values()) >= 0.2 - 1e-12


def test_allocate_sums_to_n():
    counts = allocate({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}, 10)
    assert sum(counts.values()) == 10 and max(counts.values()) - min(counts.values()) <= 1


# The edge mix, worked by hand: p·(1 − p) is 0 at p = 0 and p = 1 and 1/4 at p = 1/2; with
# floor 0.1 over k shares, each gets 0.1 and the rest (1 − 0.1·k) goes by the normalised edge.
ONE_LEVEL = {"never": (1,), "half": (1,), "always": (1,)}
RATES = {"never": {1: (0, 4)}, "half": {1: (2, 4)}, "always": {1: (4, 4)}}


def test_edge_gives_the_half_solved_category_the_rest_and_the_others_the_floor():
    by_category, _ = weights(ONE_LEVEL, RATES)
    assert floored(by_category, 0.1) == pytest.approx({"never": 0.1, "half": 0.8, "always": 0.1})


def test_edge_weighs_by_p_times_one_minus_p():
    # p = 1/4 and 1/2: edges 3/16 and 4/16, so the rest (0.8) splits 3:4
    by_category, _ = weights({"a": (1,), "b": (1,)}, {"a": {1: (1, 4)}, "b": {1: (2, 4)}})
    assert floored(by_category, 0.1) == pytest.approx(
        {"a": 0.1 + 0.8 * 3 / 7, "b": 0.1 + 0.8 * 4 / 7}
    )


def test_edge_weighs_the_levels_of_a_category_and_an_unsampled_level_counts_as_half():
    by_category, by_level = weights({"c": (1, 2, 3, 4)}, {"c": {1: (4, 4), 2: (2, 4), 3: (0, 4)}})
    assert by_level == {"c": {1: 0.0, 2: 0.25, 3: 0.0, 4: 0.25}}
    assert by_category == {"c": 0.125}  # the mean over its four levels
    # floor 0.1 each, the rest 0.6 split evenly between levels 2 and 4
    assert floored(by_level["c"], 0.1) == pytest.approx({1: 0.1, 2: 0.4, 3: 0.1, 4: 0.4})


def test_the_edge_plan_draws_categories_and_levels_by_their_shares():
    levels = {"never": (1,), "half": (1, 2), "always": (1,)}
    rates = {**RATES, "half": {1: (2, 4), 2: (4, 4)}}  # level 2 is always solved
    competence = Competence("arith/cycle-1/rlvr", 7, rates)
    slots, recorded = plan(
        None,
        "arith",
        levels,
        {},
        1000,
        random.Random(0),
        floor=0.1,
        weakness_weight=0.5,
        competence=competence,
    )
    assert recorded["source"] == "edge" and recorded["champion"] == "arith/cycle-1/rlvr"
    assert recorded["eval_run"] == 7
    # category edges 0, (1/4 + 0)/2, 0: half gets 0.8; its levels 0.1 + 0.8 and 0.1
    assert recorded["counts"] == {"never": 100, "half": 800, "always": 100}
    assert recorded["level_shares"]["half"] == {"1": 0.9, "2": 0.1}
    half = [d for c, d in slots if c == "half"]
    assert 0.85 < half.count(1) / len(half) < 0.95  # 800 draws at 0.9: σ ≈ 0.011
