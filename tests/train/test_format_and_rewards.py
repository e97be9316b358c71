"""The policy's text format, SRL's similarity reward and RLVR's outcome reward."""

from __future__ import annotations

import json

import pytest
from modelforge_train.rewards import outcome_reward, step_similarity_reward
from modelforge_train.srl import srl_rows

from modelforge.modeltype import StepFormatError, Trajectory, step_instances
from modelforge.policy_format import (
    instance_prompt,
    parse_action,
    parse_solution,
    problem_prompt,
    solution_text,
)


def trajectory(arith, text_seed=3):
    problem = arith.generate_problem("addition", 3, text_seed)
    return Trajectory(problem, tuple(arith.solve(problem)), "")


def test_completion_splits_into_monologue_and_action():
    parsed = parse_action("<think>carry the one</think>7+5+0=12\n")
    assert (parsed.monologue, parsed.action) == ("carry the one", "7+5+0=12")


@pytest.mark.parametrize("text", ["7+5+0=12", "<think>no close 7+5", "<think>x</think>", ""])
def test_output_without_an_action_after_the_monologue_breaks_the_format(text):
    assert parse_action(text) is None


def test_a_completion_may_carry_its_title_which_is_scored_with_the_action():
    parsed = parse_action("column 4: <think>carry 1</think>5+3+1=9\n")
    assert (parsed.title, parsed.monologue, parsed.action) == ("column 4", "carry 1", "5+3+1=9")
    assert parsed.scored == "column 4: 5+3+1=9"
    assert parse_action("<think></think>ans=12").scored == "ans=12"


def test_instance_prompt_leaves_the_next_step_to_the_policy(arith):
    instance = step_instances(arith, trajectory(arith))[1]
    prompt = instance_prompt(instance)
    assert prompt.startswith(instance.problem.text + "\n")
    assert prompt.endswith("\n")  # the policy writes `column 3: ...` itself
    assert prompt.count("<think></think>") == 2


def test_instance_prompt_with_the_title_hint_ends_with_the_next_steps_title(arith):
    instance = step_instances(arith, trajectory(arith))[1]
    prompt = instance_prompt(instance, title_hint=True)
    assert prompt == instance_prompt(instance) + "column 3: "


def test_srl_rows_score_the_whole_step_unless_the_title_is_hinted(arith):
    traj = trajectory(arith)
    example = type("Example", (), {"id": 1, "trajectory": lambda self: traj})()
    plain, hinted = srl_rows(arith, [example]), srl_rows(arith, [example], title_hint=True)
    third = traj.steps[2].action  # `column 3: X+Y+C=S`, written out by hand below
    a, b = str(traj.problem.data["a"]), str(traj.problem.data["b"])
    carry = (int(a[1]) + int(b[1]) + (int(a[2]) + int(b[2])) // 10) // 10
    assert third == f"{a[0]}+{b[0]}+{carry}={int(a[0]) + int(b[0]) + carry}"
    assert plain[1]["expert_action"] == f"column 3: {third}"
    assert hinted[1]["expert_action"] == third
    assert plain[-1]["expert_action"].startswith("answer: ans=")
    assert (plain[1]["title_hint"], hinted[1]["title_hint"]) == ("", "column 3")
    # the step verifier's context: the problem, and the expert's two steps before column 3
    assert json.loads(plain[1]["problem"])["data"] == {"a": int(a), "b": int(b), "op": "+"}
    previous = json.loads(plain[1]["previous"])
    assert [step["title"] for step in previous] == ["column 1", "column 2"]
    assert previous[0]["action"] == f"{a[2]}+{b[2]}+0={int(a[2]) + int(b[2])}"


def test_an_expert_solution_parses_back_to_its_steps(arith):
    traj = trajectory(arith)
    steps = parse_solution(arith, solution_text(traj.steps))
    assert [s.action for s in steps] == [s.action for s in traj.steps]
    assert arith.outcome_of(traj.problem, steps) == str(
        traj.problem.data["a"] + traj.problem.data["b"]
    )


def test_a_solution_line_without_think_tags_is_a_format_error(arith):
    with pytest.raises(StepFormatError):
        parse_solution(arith, "column 1: 1+2+0=3\n")


def test_similarity_reward_is_the_papers_ratio_and_penalises_format(arith):
    reward = step_similarity_reward(arith, "difflib", -1.0)
    scores = reward(
        completions=[
            "column 1: <think></think>1+1+1=3",
            "column 1: <think>a</think>7+5+0=12",
            "column 1: 7+5",
        ],
        expert_action=["column 1: 8+7+0=15", "column 1: 7+5+0=12", "column 1: 7+5+0=12"],
    )
    # the first block difflib finds is "1" (a[0] = b[6]) and nothing fits around it: 2 / 15
    assert scores == [pytest.approx(2 / 15), 1.0, -1.0]


def test_similarity_reward_scores_the_title_apart(arith):
    reward = step_similarity_reward(arith, "difflib", -1.0)
    scores = reward(
        completions=["column 4: <think>x</think>5+3+1=9", "answer: <think></think>ans=9"],
        expert_action=["column 4: 5+3+1=9", "column 4: 5+3+1=9"],
    )
    assert scores == [1.0, 0.0]


def test_indel_option_is_the_exact_lcs_and_never_lower(arith):
    scores = step_similarity_reward(arith, "indel")(
        completions=["column 1: <think></think>1+1+1=3"], expert_action=["column 1: 8+7+0=15"]
    )
    assert scores == [pytest.approx(2 * 3 / 15)]  # the LCS "++=" is 3


def test_outcome_reward_asks_the_verifier(arith):
    traj = trajectory(arith)
    problem = json.dumps(traj.problem.__dict__)
    right = solution_text(traj.steps)
    wrong = right.replace("ans=", "ans=9")
    scores = outcome_reward(arith)(completions=[right, wrong, "garbage"], problem=[problem] * 3)
    assert scores == [1.0, 0.0, -1.0]
    assert problem_prompt(traj.problem) == traj.problem.text + "\n"
