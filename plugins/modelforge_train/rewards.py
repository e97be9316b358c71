"""Reward functions in TRL's calling convention: f(completions=..., **dataset columns) -> floats.

SRL scores the step without its monologue against the expert's (difflib's ratio by default,
the paper's; rapidfuzz's exact-LCS Indel as the faster option); RLVR asks the type's verifier.
Output that breaks the format gets a fixed penalty.
"""

from __future__ import annotations

import functools
import json
import random

from modelforge.modeltype import ModelType, Problem, StepFormatError, action_similarity
from modelforge.policy_format import parse_action, parse_solution


def step_similarity_reward(method: str = "difflib", penalty: float = -1.0):
    """SRL's reward: needs the dataset column `expert_action` (the expert's step as scored)."""

    def step_similarity(completions: list[str], expert_action: list[str], **_) -> list[float]:
        scores = []
        for completion, expert in zip(completions, expert_action, strict=True):
            parsed = parse_action(completion)
            scores.append(
                penalty if parsed is None else action_similarity(parsed.scored, expert, method)
            )
        return scores

    return step_similarity


def outcome_reward(model_type: ModelType, penalty: float = -1.0):
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


def shuffled(reward, seed: int):
    """The no-information control: the same rewards, shuffled among each batch's completions,
    so their mean and spread stay and their link to what was written is gone."""
    rng = random.Random(seed)

    @functools.wraps(reward)
    def shuffled_reward(**columns) -> list[float]:
        scores = list(reward(**columns))
        rng.shuffle(scores)
        return scores

    return shuffled_reward
