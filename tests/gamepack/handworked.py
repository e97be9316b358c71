"""Helpers for the hand-worked cases: a problem from data written by hand, and the checks every
type's table runs (`table_tests`). Nothing here knows a rule: the right outcomes are worked out in the tables."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from modelforge_gamepack.animal.model_type import Animal
from modelforge_gamepack.building.model_type import Building
from modelforge_gamepack.facial.model_type import Facial
from modelforge_gamepack.personality.model_type import Personality
from modelforge_gamepack.plant.model_type import Plant
from modelforge_gamepack.sound.model_type import Sound
from modelforge_gamepack.tree.model_type import Tree

from modelforge.modeltype import Problem

# Built directly, once: the hand-worked tests need no plugins loaded per test.
TYPES = {
    t.name: t for t in (Personality(), Facial(), Building(), Animal(), Plant(), Tree(), Sound())
}


def problem(data: dict[str, Any]) -> Problem:
    """A problem as a designer would pose it: the data alone (category and seed do not matter)."""
    return Problem("hand-worked", 1, 0, "a hand-worked problem", data)


def flat(value: Any, path: str = "") -> dict[str, Any]:
    """Leaves by path, so a float comparison can say which field differs."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(flat(inner, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(value, list):
        out = {}
        for index, inner in enumerate(value):
            out.update(flat(inner, f"{path}[{index}]"))
        return out
    return {path: value}


def assert_same(got: dict, want: dict) -> None:
    """Equal outcomes, floats to 1e-9 (the rules round to 1 or 2 decimals)."""
    got_leaves, want_leaves = flat(got), flat(want)
    assert sorted(got_leaves) == sorted(want_leaves)
    for path, value in want_leaves.items():
        if isinstance(value, float):
            assert got_leaves[path] == pytest.approx(value, abs=1e-9), path
        else:
            assert got_leaves[path] == value, path


def accepted(model_type, data: dict, outcome: dict) -> None:
    verdict = model_type.verify_outcome(problem(data), json.dumps(outcome))
    assert verdict.ok, verdict


def expert_agrees(model_type, data: dict, outcome: dict) -> None:
    task = problem(data)
    reached = json.loads(model_type.outcome_of(task, model_type.solve(task)))
    assert_same(reached, outcome)


def refused(
    model_type, data: dict, outcome: dict, mutate: Callable[[dict], Any], rule: str
) -> None:
    """The outcome changed by mutate is refused by rule, as a whole and as the stage's step."""
    wrong = copy.deepcopy(outcome)
    mutate(wrong)
    assert wrong != outcome, "the mutation changed nothing"
    verdict = model_type.verify_outcome(problem(data), json.dumps(wrong))
    assert (verdict.ok, verdict.rule) == (False, rule), verdict
    assert verdict.reason
    assert rule in model_type.rules.data["rules"]


def table_tests(
    type_name: str,
    rules_version: str,
    cases: dict[str, tuple[dict, dict]],
    wrong: list[tuple[str, Callable[[dict], Any], str]],
    not_the_experts: frozenset[str] | set[str] = frozenset(),
):
    """The three tests every type's table runs, for its test module to take as its own:
    the rules version the cases were worked under, each right outcome accepted (and reached by
    the expert, unless it is another right answer than the expert's), each wrong one refused."""
    model_type = TYPES[type_name]

    def test_the_cases_name_the_rules_version():
        assert model_type.rules.version == rules_version

    @pytest.mark.parametrize("name", cases)
    def test_the_hand_worked_outcome_is_accepted_and_the_expert_reaches_it(name):
        data, outcome = cases[name]
        accepted(model_type, data, outcome)
        if name not in not_the_experts:
            expert_agrees(model_type, data, outcome)

    @pytest.mark.parametrize(
        ("name", "mutate", "rule"), wrong, ids=[f"{w[0]}: {w[2]}" for w in wrong]
    )
    def test_a_plausible_wrong_outcome_is_refused_by_its_rule(name, mutate, rule):
        data, outcome = cases[name]
        refused(model_type, data, outcome, mutate, rule)

    return (
        test_the_cases_name_the_rules_version,
        test_the_hand_worked_outcome_is_accepted_and_the_expert_reaches_it,
        test_a_plausible_wrong_outcome_is_refused_by_its_rule,
    )
