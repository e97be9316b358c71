"""The rewards themselves: SRL's step similarity and RLVR's outcome reward, on cases worked out
by hand.

- SRL: difflib's ratio 2M/T (M characters in the matching blocks difflib finds, T both lengths)
  of the step without its monologue against the expert's; the indel option 2 LCS / T is never
  below it; a completion that breaks `[title: ]<think>…</think>action` gets the penalty.
- RLVR: 1 for a solution whose outcome the verifier accepts, 0 for one it refuses, the penalty
  for one that does not parse.
"""

from __future__ import annotations

import json
import os
from difflib import SequenceMatcher

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from modelforge_arith.model_type import Arith
from modelforge_train.rewards import outcome_reward, step_similarity_reward

from modelforge.modeltype import Problem, action_similarity

# (completion's action, expert's, difflib ratio by hand, indel by hand)
TABLE = [
    ("", "", 1.0, 1.0),  # nothing to compare: difflib calls it identical
    ("", "ans=12", 0.0, 0.0),
    ("ans=12", "ans=12", 1.0, 1.0),  # identical
    ("abc", "xyz", 0.0, 0.0),  # disjoint
    # one block of 1 ("a", the first longest), M = 1, T = 4; the LCS is 1 too
    ("ab", "ba", 2 * 1 / 4, 2 * 1 / 4),
    # difflib takes the longest block first: "8648" (a[4:8] = b[0:4]) and nothing else fits
    # around it, M = 4, T = 16; the LCS "8648648"... is 7: 14 / 16
    ("86418648", "86488648", 2 * 4 / 16, 2 * 7 / 16),
    # "column 2: 5+7+" (14) then "=1" (2), M = 16, T = 18 + 18; the LCS is also 16
    ("column 2: 5+7+1=13", "column 2: 5+7+0=12", 2 * 16 / 36, 2 * 16 / 36),
    # "ans=1" (5), then "5" after it in both: M = 6, T = 7 + 6; LCS 6
    ("ans=125", "ans=15", 2 * 6 / 13, 2 * 6 / 13),
]


@pytest.mark.parametrize(("a", "b", "ratio", "indel"), TABLE)
def test_the_similarity_is_difflibs_ratio_and_indel_the_lcs(a, b, ratio, indel):
    assert action_similarity(a, b) == pytest.approx(ratio)
    assert action_similarity(a, b) == SequenceMatcher(None, a, b).ratio()
    assert action_similarity(a, b, "indel") == pytest.approx(indel)


def test_an_unknown_method_is_an_error():
    with pytest.raises(ValueError, match="difflib"):
        action_similarity("a", "a", "jaccard")


@pytest.mark.parametrize(("a", "b", "ratio", "indel"), [row for row in TABLE if row[0]])
@pytest.mark.parametrize("monologue", ["", "carry the one", "ans=12 </ think> ans=99\nline two"])
def test_the_srl_reward_is_the_ratio_of_the_action_whatever_the_monologue(
    a, b, ratio, indel, monologue
):
    completion = f"<think>{monologue}</think>{a}"
    assert step_similarity_reward()([completion], [b]) == [pytest.approx(ratio)]
    assert step_similarity_reward("indel")([completion], [b]) == [pytest.approx(indel)]


def test_the_monologue_earns_nothing_even_when_it_holds_the_answer():
    completion = "<think>column 2: 5+7+1=13</think>column 9"
    # "column 9" against "column 2: 5+7+1=13": the block "column " (7), M = 7, T = 8 + 18
    assert step_similarity_reward()([completion], ["column 2: 5+7+1=13"]) == [
        pytest.approx(2 * 7 / 26)
    ]


def test_the_title_the_policy_wrote_is_scored_with_its_action():
    reward = step_similarity_reward()
    assert reward(["column 2: <think>x</think>5+7+1=13"], ["column 2: 5+7+1=13"]) == [1.0]
    # "column 3: 5+7+1=13" against the same: "column " (7) and ": 5+7+1=13" (10): 2 x 17 / 36
    assert reward(["column 3: <think></think>5+7+1=13"], ["column 2: 5+7+1=13"]) == [
        pytest.approx(34 / 36)
    ]


# The format: `[title: ]<think>monologue</think>action`, one line of action, monologue any lines.
FORMAT = [
    ("<think></think>a", True),
    ("<think>m</think>a", True),
    ("title: <think>m</think>a", True),
    ("<think>two\nlines</think>a", True),
    ("\n<think>m</think>a\n", True),  # surrounding newlines are not part of it
    ("<think>m</think>  a  ", True),
    ("", False),
    ("a", False),  # no monologue at all
    ("<think>m</think>", False),  # no action
    ("<think>m</think>   ", False),
    ("<think>m a", False),  # the monologue never closes
    ("m</think>a", False),
    ("title:<think>m</think>a", False),  # the title needs `: `
    ("x <think></think>a", False),
    ("<think>m</think>a\nb", False),  # two lines of action
    ("<THINK>m</THINK>a", False),
]


@pytest.mark.parametrize(("completion", "well_formed"), FORMAT)
@pytest.mark.parametrize("penalty", [-1.0, -0.25])
def test_the_format_penalty_lands_exactly_where_the_format_breaks(completion, well_formed, penalty):
    (score,) = step_similarity_reward("difflib", penalty)([completion], ["a"])
    if well_formed:
        assert 0.0 <= score <= 1.0
    else:
        assert score == penalty


@settings(
    max_examples=int(os.environ.get("MODELFORGE_HYPOTHESIS_EXAMPLES", "100")),
    deadline=None,
    derandomize=True,
)
@given(st.text(max_size=30), st.text(max_size=30))
def test_indel_is_never_below_difflib_and_both_stay_in_0_1(a, b):
    ratio, indel = action_similarity(a, b), action_similarity(a, b, "indel")
    assert ratio == SequenceMatcher(None, a, b).ratio()
    assert 0.0 <= ratio <= indel + 1e-12 <= 1.0 + 1e-12


@settings(
    max_examples=int(os.environ.get("MODELFORGE_HYPOTHESIS_EXAMPLES", "100")),
    deadline=None,
    derandomize=True,
)
@given(st.text(max_size=60))
def test_the_srl_reward_is_the_penalty_or_a_similarity(completion):
    (score,) = step_similarity_reward("difflib", -3.0)([completion], ["column 1: 7+8+0=15"])
    assert score == -3.0 or 0.0 <= score <= 1.0


# ------------------------------------------------------------ RLVR: 1 only for a verified outcome

ARITH = Arith()


def _arith(a, b, op):
    return Problem("addition" if op == "+" else "multiplication", 2, 0, f"{a}{op}{b}",
                   {"a": a, "b": b, "op": op})  # fmt: skip


def _lines(*steps):
    return "".join(f"{title}: <think></think>{action}\n" for title, action in steps)


# 57 + 68: 7 + 8 + 0 = 15 (write 5, carry 1), 5 + 6 + 1 = 12, so 125
# 47 x 6: 7 x 6 + 0 = 42 (write 2, carry 4), 4 x 6 + 4 = 28, so 282
ARITH_CASES = [
    (
        _arith(57, 68, "+"),
        _lines(("column 1", "7+8+0=15"), ("column 2", "5+6+1=12"), ("answer", "ans=125")),
        1.0,
    ),
    (
        _arith(57, 68, "+"),
        _lines(("column 1", "7+8+0=15"), ("column 2", "5+6+1=12"), ("answer", "ans=115")),
        0.0,
    ),
    (
        _arith(57, 68, "+"),
        _lines(("column 1", "7+8+0=15"), ("column 2", "5+6+0=11"), ("answer", "ans=115")),
        0.0,
    ),
    (
        _arith(47, 6, "*"),
        _lines(("column 1", "7*6+0=42"), ("column 2", "4*6+4=28"), ("answer", "ans=282")),
        1.0,
    ),
    (
        _arith(47, 6, "*"),
        _lines(("column 1", "7*6+0=42"), ("column 2", "4*6+0=24"), ("answer", "ans=242")),
        0.0,
    ),
    (_arith(57, 68, "+"), "ans=125", -1.0),  # no monologue: the format breaks
    (_arith(57, 68, "+"), "answer: <think></think>the answer is 125\n", -1.0),
    (_arith(57, 68, "+"), "", -1.0),
]


@pytest.mark.parametrize(("problem", "completion", "reward"), ARITH_CASES)
def test_arith_rlvr_reward_is_1_only_for_the_right_sum(problem, completion, reward):
    score = outcome_reward(ARITH)([completion], [json.dumps(problem.__dict__)])
    assert score == [reward]


def test_the_default_penalty_is_minus_one_and_the_default_method_difflib():
    assert step_similarity_reward()(["no think tags"], ["a"]) == [-1.0]
    assert step_similarity_reward()(["<think></think>86418648"], ["86488648"]) == [0.5]


def test_a_batch_is_scored_row_by_row_and_must_line_up():
    problem = json.dumps(_arith(57, 68, "+").__dict__)
    right = _lines(("column 1", "7+8+0=15"), ("column 2", "5+6+1=12"), ("answer", "ans=125"))
    reward = outcome_reward(ARITH)
    # a broken row does not end the batch
    assert reward(["garbage", right, "garbage"], [problem] * 3) == [-1.0, 1.0, -1.0]
    with pytest.raises(ValueError):
        reward([right, right], [problem])
    with pytest.raises(ValueError):
        step_similarity_reward()(["<think></think>a", "<think></think>b"], ["a"])
