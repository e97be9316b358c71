"""SRL's two step rewards on `arith` cases worked out by hand, and the grammar rule they share
with RLVR: a step that does not parse under the type's step grammar gets the format penalty.

57 + 68, column by column: 7 + 8 + 0 = 15 (write 5, carry 1), then 5 + 6 + 1 = 12, so 125.
32 + 35 (issue 23): 2 + 5 + 0 = 7, then 3 + 3 + 0 = 6, so 67.
"""

from __future__ import annotations

import json

import pytest
from modelforge_arith.model_type import Arith
from modelforge_train.rewards import step_similarity_reward, verified_step_reward

from modelforge.modeltype import Problem, Step

ARITH = Arith()
PROBLEM = json.dumps(Problem("addition", 2, 0, "57+68", {"a": 57, "b": 68, "op": "+"}).__dict__)
COLUMN_1 = json.dumps([Step("7+8+0=15", title="column 1").__dict__])
BOTH_COLUMNS = json.dumps(
    [Step("7+8+0=15", title="column 1").__dict__, Step("5+6+1=12", title="column 2").__dict__]
)


def verified(completion: str, previous: str = COLUMN_1, hint: str = "", penalty=-1.0) -> float:
    reward = verified_step_reward(ARITH, penalty)
    (score,) = reward(
        completions=[completion], problem=[PROBLEM], previous=[previous], title_hint=[hint]
    )
    return score


@pytest.mark.parametrize(
    ("completion", "expected"),
    [
        ("column 2: <think>5+6 and the carry</think>5+6+1=12", 1.0),  # the right column
        ("column 2: <think></think>5+6+1=13", 0.0),  # a wrong digit: well formed, refused
        ("column 2: <think></think>5+6+0=11", 0.0),  # the carry forgotten
        ("column 2: <think></think>5+7+1=13", 0.0),  # a wrong operand
        ("column 3: <think></think>5+6+1=12", 0.0),  # right sum, wrong column
        ("answer: <think></think>ans=125", 0.0),  # the right answer, one column too soon
        ("column 2: <think></think>5++1=12", -1.0),  # a digit dropped: no step at all
        ("column 2: <think></think>5+6+1=12=", -1.0),
        ("column 2: 5+6+1=12", -1.0),  # no monologue: the format breaks
    ],
)
def test_the_verified_reward_pays_the_step_the_verifier_accepts(completion, expected):
    assert verified(completion) == expected


def test_the_verified_reward_reads_the_expert_steps_so_far():
    assert verified("answer: <think></think>ans=125", previous=BOTH_COLUMNS) == 1.0
    assert verified("answer: <think></think>ans=115", previous=BOTH_COLUMNS) == 0.0
    # column 1 again, as if it were the first step: the problem's first column
    assert verified("column 1: <think></think>7+8+0=15", previous="[]") == 1.0


def test_the_verified_reward_with_the_title_hint_reads_the_action_under_the_given_title():
    assert verified("<think></think>5+6+1=12", hint="column 2") == 1.0
    assert verified("<think></think>5+6+1=11", hint="column 2") == 0.0
    # a title written again after the hint is no step of the grammar
    assert verified("column 2: <think></think>5+6+1=12", hint="column 2") == -1.0


def test_the_penalty_is_the_configured_one():
    assert verified("column 2: <think></think>5++1=12", penalty=-0.5) == -0.5


# ------------------------------------------------------------ the similarity reward and the grammar

EXPERT = "column 2: 3+3+0=6"  # 32 + 35's second column


def similarity(*completions: str) -> list[float]:
    return step_similarity_reward(ARITH)(list(completions), [EXPERT] * len(completions))


def test_issue_23s_broken_step_now_gets_the_penalty():
    # difflib on the whole strings gave the broken step 0.970, above the honest wrong digit
    assert similarity("column 2: <think></think>3++0=6") == [-1.0]
    assert similarity("column 2: <think></think>3++0=7") == [-1.0]
    assert similarity("column 2: <think></think>0++0=") == [-1.0]


def test_an_honest_wrong_digit_keeps_its_similarity():
    # "3+4+0=6" against "3+3+0=6": blocks "3+" (2) and "+0=6" (4), M = 6, T = 14
    assert similarity("column 2: <think></think>3+4+0=6") == [pytest.approx(12 / 14)]
    # "3+3+0=7": the block "3+3+0=" (6), M = 6, T = 14
    assert similarity("column 2: <think>six?</think>3+3+0=7") == [pytest.approx(12 / 14)]
    assert similarity("column 2: <think></think>3+3+0=6") == [1.0]


def test_the_grammar_reads_the_hinted_title_with_the_action():
    reward = step_similarity_reward(ARITH)
    # with the hint the expert's side is the action alone and the row names the title
    assert reward(["<think></think>3+4+0=6"], ["3+3+0=6"], title_hint=["column 2"]) == [
        pytest.approx(12 / 14)
    ]
    assert reward(["<think></think>3++0=6"], ["3+3+0=6"], title_hint=["column 2"]) == [-1.0]


# ------------------------------------------------------------ `[train.srl] reward` picks the reward


@pytest.mark.parametrize(
    ("name", "right", "wrong"), [("similarity", 1.0, 12 / 14), ("verified", 1.0, 0.0)]
)
def test_the_srl_stage_uses_the_configured_reward(name, right, wrong):
    from modelforge_train.settings import TrainSettings
    from modelforge_train.srl import SPEC

    settings = TrainSettings.model_validate({"srl": {"reward": name}})
    reward = SPEC.reward(ARITH, settings)
    problem = json.dumps(Problem("addition", 2, 0, "32+35", {"a": 32, "b": 35, "op": "+"}).__dict__)
    previous = json.dumps([Step("2+5+0=7", title="column 1").__dict__])
    scores = reward(
        completions=[f"column 2: <think></think>{a}" for a in ("3+3+0=6", "3+4+0=6", "3++0=6")],
        expert_action=[EXPERT] * 3,
        title_hint=[""] * 3,
        problem=[problem] * 3,
        previous=[previous] * 3,
    )
    assert scores == [right, pytest.approx(wrong), -1.0]


def test_the_default_srl_reward_is_the_papers_similarity():
    from modelforge_train.settings import TrainSettings

    assert TrainSettings().srl.reward == "similarity"
    with pytest.raises(ValueError, match="similarity"):
        TrainSettings.model_validate({"srl": {"reward": "outcome"}})
