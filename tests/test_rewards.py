"""The rewards themselves: SRL's step similarity and RLVR's outcome reward, on cases worked out
by hand.

- SRL: difflib's ratio 2M/T (M characters in the matching blocks difflib finds, T both lengths)
  of the step's action against the expert's when it wrote the expert's title, 0 under another
  title; the indel option 2 LCS / T is never below it; a completion that breaks
  `title: <think>…</think>action` or the type's step grammar gets the penalty.
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


ARITH = Arith()

# Well-formed arith actions under the expert's own title: (policy's, expert's, difflib by hand,
# indel by hand).
ACTIONS = [
    ("5+7+0=12", "5+7+0=12", 1.0, 1.0),
    # "5+7+" (4) then "=1" (2): M = 6, T = 16; the LCS is 6 too
    ("5+7+1=13", "5+7+0=12", 2 * 6 / 16, 2 * 6 / 16),
    # no common block longer than 1: difflib takes the first, a[0] "1" = b[6], and nothing
    # fits around it, M = 1, T = 15; the LCS "++=" is 3
    ("1+1+1=3", "8+7+0=15", 2 * 1 / 15, 2 * 3 / 15),
]


@pytest.mark.parametrize(("a", "b", "ratio", "indel"), ACTIONS)
@pytest.mark.parametrize("monologue", ["", "carry the one", "ans=12 </ think> ans=99\nline two"])
def test_the_srl_reward_is_the_ratio_of_the_action_whatever_the_monologue(
    a, b, ratio, indel, monologue
):
    completion = f"column 2: <think>{monologue}</think>{a}"
    expert = f"column 2: {b}"
    assert step_similarity_reward(ARITH)([completion], [expert]) == [pytest.approx(ratio)]
    assert step_similarity_reward(ARITH, "indel")([completion], [expert]) == [pytest.approx(indel)]


def test_the_monologue_earns_nothing_even_when_it_holds_the_answer():
    completion = "column 2: <think>5+7+1=13</think>5+7+1=14"
    # "5+7+1=14" against "5+7+1=13": the block "5+7+1=1" (7), M = 7, T = 16
    assert step_similarity_reward(ARITH)([completion], ["column 2: 5+7+1=13"]) == [
        pytest.approx(2 * 7 / 16)
    ]


def test_the_title_is_the_choice_of_step_and_scored_apart_from_the_action():
    reward = step_similarity_reward(ARITH)
    assert reward(["column 2: <think>x</think>5+7+1=13"], ["column 2: 5+7+1=13"]) == [1.0]
    # the right action under another title is another step: a column skipped, an answer early
    assert reward(["column 3: <think></think>5+7+1=13"], ["column 2: 5+7+1=13"]) == [0.0]
    assert reward(["answer: <think></think>ans=13"], ["column 2: 5+7+1=13"]) == [0.0]


# The format and the grammar: `title: <think>monologue</think>action`, the monologue any lines,
# then one line of action that the type's step grammar reads (arith: `answer: ans=R`).
FORMAT = [
    ("answer: <think></think>ans=12", True),
    ("answer: <think>m</think>ans=12", True),
    ("answer: <think>two\nlines</think>ans=12", True),
    ("\nanswer: <think>m</think>ans=12\n", True),  # surrounding newlines are not part of it
    ("answer: <think>m</think>  ans=12  ", True),
    ("answer: <think>m</think>ans=12  # carried", True),  # the grammar allows a rationale
    ("", False),
    ("answer: ans=12", False),  # no monologue at all
    ("answer: <think>m</think>", False),  # no action
    ("answer: <think>m</think>   ", False),
    ("answer: <think>m ans=12", False),  # the monologue never closes
    ("answer: m</think>ans=12", False),
    ("answer:<think>m</think>ans=12", False),  # the title needs `: `
    ("<think></think>ans=12", False),  # arith's grammar needs the title
    ("x answer: <think></think>ans=12", False),
    ("answer: <think>m</think>ans=12\nb", False),  # two lines of action
    ("answer: <THINK>m</THINK>ans=12", False),
    ("answer: <think></think>ans=", False),  # a digit dropped: no number left
    ("answer: <think></think>ans==12", False),
    ("answer: <think></think>ans=1 2", False),
    ("column 1: <think></think>ans=12", False),  # a column holds `X+Y+C=S`
    ("column 2: <think></think>3++0=6", False),  # issue 23's broken step
]


@pytest.mark.parametrize(("completion", "well_formed"), FORMAT)
@pytest.mark.parametrize("penalty", [-1.0, -0.25])
def test_the_format_penalty_lands_exactly_where_the_format_or_the_grammar_breaks(
    completion, well_formed, penalty
):
    (score,) = step_similarity_reward(ARITH, "difflib", penalty)([completion], ["answer: ans=12"])
    if well_formed:
        assert score == 1.0
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
    (score,) = step_similarity_reward(ARITH, "difflib", -3.0)([completion], ["column 1: 7+8+0=15"])
    assert score == -3.0 or 0.0 <= score <= 1.0


# ------------------------------------------------------------ RLVR: 1 only for a verified outcome


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
    reward = step_similarity_reward(ARITH)
    assert reward(["no think tags"], ["answer: ans=12"]) == [-1.0]
    # difflib's 2 x 1 / 15, not the LCS's 2 x 3 / 15 (ACTIONS above)
    assert reward(["column 1: <think></think>1+1+1=3"], ["column 1: 8+7+0=15"]) == [
        pytest.approx(2 / 15)
    ]


def test_a_batch_is_scored_row_by_row_and_must_line_up():
    problem = json.dumps(_arith(57, 68, "+").__dict__)
    right = _lines(("column 1", "7+8+0=15"), ("column 2", "5+6+1=12"), ("answer", "ans=125"))
    reward = outcome_reward(ARITH)
    # a broken row does not end the batch
    assert reward(["garbage", right, "garbage"], [problem] * 3) == [-1.0, 1.0, -1.0]
    with pytest.raises(ValueError):
        reward([right, right], [problem])
    step = "answer: <think></think>ans=125"
    with pytest.raises(ValueError, match="shorter|longer"):
        step_similarity_reward(ARITH)([step, step], ["answer: ans=125"])
