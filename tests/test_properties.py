"""Invariants of the `arith` verifier and of the policy's text format (hypothesis): the expert
passes its verifier; any other answer is refused; verification never raises; any text given
to a step parser parses or raises StepFormatError, nothing else. The pack's types have theirs
in tests/gamepack/test_properties.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from modelforge_arith.model_type import Arith
from modelforge_gamepack.sound.model_type import Sound

from modelforge.modeltype import (
    Problem,
    Step,
    StepFormatError,
    Verdict,
    parse_steps,
    verify_trajectory,
)
from modelforge.policy_format import ParsedAction, parse_action, parse_solution

ARITH = Arith()
FAST = settings(
    # bench/mutation.py asks for fewer: every surviving mutant runs every property test
    max_examples=int(os.environ.get("MODELFORGE_HYPOTHESIS_EXAMPLES", "80")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def arith_problems(draw):
    category = draw(st.sampled_from(ARITH.categories))
    level = draw(st.sampled_from(category.levels))
    return ARITH.generate_problem(category.name, level, draw(st.integers(0, 10**6)))


@FAST
@given(arith_problems())
def test_the_arith_expert_passes_its_verifier(problem):
    steps = ARITH.solve(problem)
    assert verify_trajectory(ARITH, problem, steps).ok
    outcome = ARITH.outcome_of(problem, steps)
    a, b = problem.data["a"], problem.data["b"]
    assert outcome == str(a + b if problem.data["op"] == "+" else a * b)  # Python's arithmetic


@FAST
@given(arith_problems(), st.integers(0, 10**12))
def test_any_other_arith_answer_is_refused(problem, number):
    right = ARITH.outcome_of(problem, ARITH.solve(problem))
    verdict = ARITH.verify_outcome(problem, str(number))
    assert verdict.ok == (str(number) == right)
    if not verdict.ok:
        assert verdict.rule == "exact-result" and verdict.reason


@FAST
@given(arith_problems(), st.text(max_size=40))
def test_arith_verification_of_any_text_is_a_verdict(problem, text):
    first = ARITH.verify_outcome(problem, text)
    assert isinstance(first, Verdict) and first == ARITH.verify_outcome(problem, text)
    step = Step(text, title=text[:8] or None)
    assert isinstance(ARITH.verify_step(problem, [], step), Verdict)


@FAST
@given(arith_problems(), st.data())
def test_one_column_changed_is_refused_at_that_column(problem, data):
    steps = ARITH.solve(problem)
    index = data.draw(st.integers(0, len(steps) - 2))  # a column, not the answer
    action = steps[index].action
    position = data.draw(st.sampled_from([i for i, c in enumerate(action) if c.isdigit()]))
    digit = data.draw(st.sampled_from([d for d in "0123456789" if d != action[position]]))
    wrong = Step(action[:position] + digit + action[position + 1 :], title=steps[index].title)
    verdict = verify_trajectory(ARITH, problem, [*steps[:index], wrong, *steps[index + 1 :]])
    assert (verdict.ok, verdict.step) == (False, index)
    assert verdict.rule in {"operands", "carry-in", "column-result"}


@FAST
@given(st.text(max_size=60))
def test_any_arith_line_parses_or_raises_step_format_error(text):
    try:
        step = ARITH.parse_step(text)
    except StepFormatError:
        return
    assert step.title == "answer" or step.title.startswith("column ")


@FAST
@given(st.text(alphabet="column answer:0123456789+*=# \n", max_size=60))
def test_arith_like_text_parses_or_raises_step_format_error(text):
    try:
        assert parse_steps(ARITH, text)
    except StepFormatError:
        pass


@FAST
@given(st.text(max_size=80))
def test_a_completion_parses_to_an_action_or_none(text):
    parsed = parse_action(text)
    assert parsed is None or (isinstance(parsed, ParsedAction) and parsed.action.strip())


@FAST
@given(
    st.sampled_from([ARITH, Sound()]),
    st.text(alphabet=st.sampled_from(list('<think>/ :{}[]"ab1\n')), max_size=80)
    | st.text(max_size=80),
)
def test_a_whole_solution_parses_or_raises_step_format_error(model_type, text):
    try:
        steps = parse_solution(model_type, text)
    except StepFormatError:
        return
    assert steps and all(isinstance(step, Step) for step in steps)


@pytest.mark.parametrize("model_type", [ARITH, Sound()], ids=["arith", "sound"])
def test_a_solution_nested_past_the_decoder_is_a_format_error(model_type):
    title = "answer" if model_type is ARITH else "category"
    with pytest.raises(StepFormatError):
        parse_solution(model_type, f"{title}: <think></think>" + "[" * 100_000)


# ------------------------------------------------------------ arith steps worked by hand


def _problem(a, b, op):
    category = "addition" if op == "+" else "multiplication"
    return Problem(category, len(str(a)), 0, f"{a}{op}{b}", {"a": a, "b": b, "op": op})


def _steps(*columns, answer):
    steps = [Step(action, title=f"column {n}") for n, action in enumerate(columns, 1)]
    return [*steps, Step(f"ans={answer}", title="answer")]


# 57 + 68: 7 + 8 = 15 (5, carry 1), 5 + 6 + 1 = 12: 125
# 105 + 7: 5 + 7 = 12 (2, carry 1), 0 + 0 + 1 = 1, 1 + 0 + 0 = 1: 112 (b has no tens or hundreds)
# 47 x 6: 7 x 6 = 42 (2, carry 4), 4 x 6 + 4 = 28: 282
# 999 x 9: 9 x 9 = 81 (1, carry 8), 9 x 9 + 8 = 89 (9, carry 8), 9 x 9 + 8 = 89: 8991
HAND = {
    "57+68": (_problem(57, 68, "+"), _steps("7+8+0=15", "5+6+1=12", answer=125)),
    "105+7": (_problem(105, 7, "+"), _steps("5+7+0=12", "0+0+1=1", "1+0+0=1", answer=112)),
    "47*6": (_problem(47, 6, "*"), _steps("7*6+0=42", "4*6+4=28", answer=282)),
    "999*9": (_problem(999, 9, "*"), _steps("9*9+0=81", "9*9+8=89", "9*9+8=89", answer=8991)),
}


@pytest.mark.parametrize("name", HAND)
def test_hand_worked_columns_verify_and_the_expert_writes_them(name):
    problem, steps = HAND[name]
    assert verify_trajectory(ARITH, problem, steps).ok
    assert [(s.title, s.action) for s in ARITH.solve(problem)] == [
        (s.title, s.action) for s in steps
    ]
    assert ARITH.outcome_of(problem, steps) == steps[-1].action.removeprefix("ans=")


def test_the_expert_explains_each_column():
    problem, _ = HAND["57+68"]
    assert [s.rationale for s in ARITH.solve(problem)[:2]] == [
        "write 5, carry 1",
        "write 2, carry 1",
    ]
    problem, _ = HAND["999*9"]
    assert ARITH.solve(problem)[0].rationale == "write 1, carry 8"  # 81


def _wrong(name, index, step):
    problem, steps = HAND[name]
    return problem, [*steps[:index], step, *steps[index + 1 :]]


WRONG_STEPS = [
    # (problem, steps, rule, failing step)
    (*_wrong("57+68", 0, Step("5+6+0=11", title="column 2")), "column-order", 0),
    (*_wrong("57+68", 1, Step("5+6+0=11", title="column 2")), "carry-in", 1),
    (*_wrong("57+68", 0, Step("7+8+0=16", title="column 1")), "column-result", 0),
    (*_wrong("57+68", 0, Step("8+7+0=15", title="column 1")), "operands", 0),
    (*_wrong("57+68", 0, Step("7*8+0=56", title="column 1")), "format", 0),
    (*_wrong("57+68", 2, Step("ans=", title="answer")), "format", 2),
    (*_wrong("57+68", 2, Step("ans=115", title="answer")), "answer", 2),
    (*_wrong("57+68", 2, Step("0+0+1=1", title="column 3")), "final-carry", 2),
    (*_wrong("105+7", 1, Step("0+7+1=8", title="column 2")), "operands", 1),
    (*_wrong("999*9", 1, Step("9*9+7=88", title="column 2")), "carry-in", 1),
]


@pytest.mark.parametrize(("problem", "steps", "rule", "index"), WRONG_STEPS)
def test_a_wrong_step_is_refused_where_it_is_with_its_rule(problem, steps, rule, index):
    verdict = verify_trajectory(ARITH, problem, steps)
    assert (verdict.ok, verdict.rule, verdict.step) == (False, rule, index)
    direct = ARITH.verify_step(problem, steps[:index], steps[index])
    assert (direct.rule, bool(direct.reason)) == (rule, True)  # the verifier's own reason


@pytest.mark.parametrize("extra", ["column 3", "column 4", "answer"])
def test_a_step_after_the_answer_is_out_of_order(extra):
    problem, steps = HAND["57+68"]
    verdict = ARITH.verify_step(problem, steps, Step("1+1+0=2", title=extra))
    assert (verdict.ok, verdict.rule) == (False, "column-order")
    assert verdict.reason


def test_no_steps_or_no_answer_reach_no_outcome():
    problem, steps = HAND["57+68"]
    assert ARITH.outcome_of(problem, []) is None
    assert ARITH.outcome_of(problem, steps[:-1]) is None


def test_a_generated_problem_is_what_it_says():
    problem = ARITH.generate_problem("addition", 3, 7)
    assert (problem.category, problem.difficulty, problem.seed) == ("addition", 3, 7)
    assert problem.text == f"{problem.data['a']}+{problem.data['b']}"


@pytest.mark.parametrize("category", ["addition", "multiplication"])
def test_operands_have_the_digits_asked_for(category):
    levels = next(c.levels for c in ARITH.categories if c.name == category)
    for digits in levels[:3]:
        problems = [ARITH.generate_problem(category, digits, seed) for seed in range(300)]
        assert all(len(str(p.data["a"])) == digits for p in problems)
        if category == "addition":
            assert all(len(str(p.data["b"])) == digits for p in problems)
        else:
            assert {p.data["b"] for p in problems} == set(range(2, 10))


def test_two_digit_operands_reach_both_ends_of_their_range():
    problems = [ARITH.generate_problem("addition", 2, seed) for seed in range(2000)]
    for operand in ("a", "b"):
        values = {p.data[operand] for p in problems}
        assert (min(values), max(values)) == (10, 99)
