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

from modelforge.modeltype import Step, StepFormatError, Verdict, parse_steps, verify_trajectory
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
