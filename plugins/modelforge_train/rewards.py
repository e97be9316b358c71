"""Reward functions in TRL's calling convention: f(completions=..., **dataset columns) -> floats.

Every reward reads a completion's steps with one rule, the type's own step grammar after the
`[title: ]<think>…</think>action` format (`policy_format.step_of_line`): output that breaks
either gets the fixed format penalty, in SRL as in RLVR. Then SRL scores the step against the
expert's (`similarity`: the title's choice, then the action's similarity, difflib's ratio by
default as in the paper; `verified`: whether the type's step verifier accepts it) and RLVR asks
the type's verifier about the outcome.

The SRL rewards read these columns of `srl.srl_rows`: `expert_action` (the expert's step as
scored), `title_hint` (the title the prompt already gave, "" when none), `problem` (a Problem
as JSON) and `previous` (the expert's steps so far, as JSON).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from modelforge.modeltype import ModelType, Problem, Step, StepFormatError, step_match
from modelforge.policy_format import parse_solution, scored_step_of, with_title

Reward = Callable[..., list[float]]


def step_similarity_reward(
    model_type: ModelType, method: str = "difflib", penalty: float = -1.0
) -> Reward:
    """SRL's reward, the paper's similarity under the type's grammar: the penalty for a broken
    step, 0 for another step than the expert's (a different title), else the similarity of the
    two actions. Reads `expert_action` and, when present, `title_hint`."""

    def step_similarity(
        completions: list[str], expert_action: list[str], title_hint=None, **_
    ) -> list[float]:
        hints = title_hint or [""] * len(completions)
        scores = []
        for completion, expert, hint in zip(completions, expert_action, hints, strict=True):
            step = scored_step_of(model_type, completion, hint or None)
            expert_step = model_type.parse_step(with_title(hint or None, expert))
            scores.append(penalty if step is None else step_match(step, expert_step, method))
        return scores

    return step_similarity


def verified_step_reward(model_type: ModelType, penalty: float = -1.0) -> Reward:
    """SRL's verified-step reward: 1 for a step the type's `verify_step` accepts after the
    expert's previous steps, 0 for a well-formed step it refuses, the penalty for a broken one.
    Reads `problem`, `previous` and, when present, `title_hint`."""

    def verified_step(
        completions: list[str], problem: list[str], previous: list[str], title_hint=None, **_
    ) -> list[float]:
        hints = title_hint or [""] * len(completions)
        scores = []
        for completion, problem_json, previous_json, hint in zip(
            completions, problem, previous, hints, strict=True
        ):
            step = scored_step_of(model_type, completion, hint or None)
            if step is None:
                scores.append(penalty)
                continue
            task = Problem(**json.loads(problem_json))
            done = [Step(**fields) for fields in json.loads(previous_json)]
            scores.append(float(model_type.verify_step(task, done, step).ok))
        return scores

    return verified_step


def outcome_reward(model_type: ModelType, penalty: float = -1.0) -> Reward:
    """RLVR's reward: 1 when the verifier accepts the outcome, 0 when not, the penalty when the
    solution breaks the format. Needs the dataset column `problem` (a Problem as JSON)."""

    def outcome(completions: list[str], problem: list[str], **_) -> list[float]:
        scores = []
        for completion, problem_json in zip(completions, problem, strict=True):
            task = Problem(**json.loads(problem_json))
            try:
                steps = parse_solution(model_type, completion)
            except StepFormatError:
                scores.append(penalty)
                continue
            reached = model_type.outcome_of(task, steps)
            scores.append(
                float(reached is not None and model_type.verify_outcome(task, reached).ok)
            )
        return scores

    return outcome
