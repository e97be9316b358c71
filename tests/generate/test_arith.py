"""The reference type `arith`: the expert is always right and the verifier rejects what is wrong."""

from dataclasses import replace

import pytest
from modelforge_arith.model_type import Arith

from modelforge.modeltype import (
    ModelType,
    Step,
    StepFormatError,
    parse_steps,
    render_steps,
    verify_trajectory,
)

ARITH = Arith()


def test_is_a_model_type_with_a_wide_ladder():
    assert isinstance(ARITH, ModelType)
    assert {c.name for c in ARITH.categories} == {"addition", "multiplication"}
    for category in ARITH.categories:
        assert category.levels == tuple(range(2, 13))
    assert ARITH.rules.version == "1.0.0"


@pytest.mark.parametrize("category", ["addition", "multiplication"])
@pytest.mark.parametrize("digits", range(2, 13))
def test_expert_solves_every_level_and_the_verifier_agrees(category, digits):
    for seed in range(5):
        problem = ARITH.generate_problem(category, digits, seed)
        steps = ARITH.solve(problem)
        assert len(steps) == digits + 1
        assert verify_trajectory(ARITH, problem, steps).ok
        a, b = problem.data["a"], problem.data["b"]
        assert ARITH.outcome_of(problem, steps) == str(a + b if category == "addition" else a * b)
        assert parse_steps(ARITH, render_steps(ARITH, steps)) == steps


def test_a_seed_reproduces_its_problem_and_different_seeds_differ():
    assert ARITH.generate_problem("addition", 8, 42) == ARITH.generate_problem("addition", 8, 42)
    texts = {ARITH.generate_problem("addition", 8, seed).text for seed in range(20)}
    assert len(texts) == 20
    with pytest.raises(ValueError):
        ARITH.generate_problem("addition", 13, 1)


def test_steps_name_the_column_that_comes_next():
    problem = ARITH.generate_problem("addition", 4, 3)
    titles = [step.title for step in ARITH.solve(problem)]
    assert titles == ["column 1", "column 2", "column 3", "column 4", "answer"]


def _break(steps, index, **change):
    broken = list(steps)
    broken[index] = replace(broken[index], **change)
    return broken


@pytest.fixture
def problem():
    # 57 + 68: column 1 is 7+8+0=15, column 2 is 5+6+1=12, answer 125
    from modelforge.modeltype import Problem

    return Problem("addition", 2, 0, "57+68", {"a": 57, "b": 68, "op": "+"})


@pytest.mark.parametrize(
    ("index", "change", "rule"),
    [
        (0, {"action": "7+8+0=16"}, "column-result"),
        (1, {"action": "5+6+0=11"}, "carry-in"),
        (0, {"action": "7+9+0=16"}, "operands"),
        (0, {"title": "column 2"}, "column-order"),
        (0, {"action": "7*8+0=56"}, "format"),
        (2, {"action": "ans=115"}, "answer"),
        (2, {"title": "column 3"}, "final-carry"),
    ],
)
def test_verifier_rejects_wrong_steps_naming_the_rule(problem, index, change, rule):
    verdict = verify_trajectory(ARITH, problem, _break(ARITH.solve(problem), index, **change))
    assert not verdict.ok
    assert verdict.rule == rule
    assert verdict.step == index


def test_verifier_rejects_a_missing_answer_and_a_wrong_outcome(problem):
    steps = ARITH.solve(problem)
    assert verify_trajectory(ARITH, problem, steps[:-1]).rule == "outcome-missing"
    assert ARITH.verify_outcome(problem, "124").rule == "exact-result"
    assert ARITH.verify_outcome(problem, " 125 ").ok
    extra = [*steps, Step("ans=125", title="answer")]
    assert verify_trajectory(ARITH, problem, extra).rule == "column-order"


@pytest.mark.parametrize(
    "line", ["", "column 1 7+8+0=15", "column one: 7+8=15", "answer: 125", "hello"]
)
def test_lines_outside_the_step_format_do_not_parse(line):
    with pytest.raises(StepFormatError):
        ARITH.parse_step(line)


def test_a_rationale_is_kept_apart_from_the_action():
    step = ARITH.parse_step("column 1: 7+8+0=15  # write 5, carry 1")
    assert step == Step("7+8+0=15", "write 5, carry 1", "column 1")
