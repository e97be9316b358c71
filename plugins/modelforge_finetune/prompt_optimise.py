"""Prompt optimisation, the plan's fallback where a provider cannot be fine-tuned (Claude today).

A candidate is the type's system prompt plus few-shot expert trajectories, chosen per category.
Each candidate answers the same fresh held-out problems through the Messages API and the type's
verifier scores every answer; the next candidate gives more examples to the category the best
one so far was weakest in. The best candidate is kept as the "prompted model".
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from modelforge.modeltype import (
    ModelType,
    Problem,
    StepFormatError,
    Trajectory,
    parse_steps,
    render_steps,
    verify_trajectory,
)
from modelforge_finetune.providers.base import provider_call
from modelforge_finetune.records import bare, system_prompt
from modelforge_finetune.settings import AnthropicSettings


@dataclass
class Candidate:
    system: str
    shots: list[tuple[str, str]]  # (problem text, expert solution)
    score: float = 0.0
    by_category: dict[str, float] = field(default_factory=dict)


def held_out_problems(model_type: ModelType, count: int, seed: int) -> list[Problem]:
    """Fresh problems across the categories, middle of each difficulty ladder, reproducible."""
    rng = random.Random(seed)
    problems = []
    for index in range(count):
        category = model_type.categories[index % len(model_type.categories)]
        levels = category.levels[: max(1, len(category.levels) // 2)]
        problems.append(
            model_type.generate_problem(category.name, rng.choice(levels), rng.randrange(2**31))
        )
    return problems


def pick_shots(
    trajectories: list[Trajectory], weights: dict[str, int], model_type: ModelType
) -> list[tuple[str, str]]:
    by_category: dict[str, list[Trajectory]] = defaultdict(list)
    for trajectory in trajectories:
        by_category[trajectory.problem.category].append(trajectory)
    shots = []
    for category, wanted in weights.items():
        for trajectory in by_category.get(category, [])[:wanted]:
            solution = render_steps(model_type, [bare(step) for step in trajectory.steps])
            shots.append((trajectory.problem.text, solution))
    return shots


def answer_text(message: Any) -> str:
    return "".join(block.text for block in message.content if getattr(block, "type", "") == "text")


def solved(model_type: ModelType, problem: Problem, text: str) -> bool:
    if "</think>" in text:
        text = text.rsplit("</think>", 1)[1]
    try:
        steps = parse_steps(model_type, text)
    except StepFormatError:
        return False
    return verify_trajectory(model_type, problem, steps).ok


def score(
    client,
    model: str,
    settings: AnthropicSettings,
    model_type: ModelType,
    candidate: Candidate,
    problems: list[Problem],
) -> None:
    """Ask the candidate every held-out problem; record its overall and per-category score."""
    messages: list[dict[str, str]] = []
    for question, solution in candidate.shots:
        messages += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": solution},
        ]
    hits: dict[str, list[bool]] = defaultdict(list)
    for problem in problems:
        with provider_call("anthropic", "asking a candidate prompt"):
            reply = client.messages.create(
                model=model,
                system=candidate.system,
                messages=[*messages, {"role": "user", "content": problem.text}],
                max_tokens=settings.max_tokens,
            )
        hits[problem.category].append(solved(model_type, problem, answer_text(reply)))
    candidate.by_category = {name: sum(v) / len(v) for name, v in sorted(hits.items())}
    candidate.score = sum(sum(v) for v in hits.values()) / max(len(problems), 1)


def optimise(
    client,
    model: str,
    settings: AnthropicSettings,
    model_type: ModelType,
    trajectories: list[Trajectory],
    seed: int,
) -> dict[str, Any]:
    """Try settings.candidates prompts; return the best with every candidate's scores."""
    problems = held_out_problems(model_type, settings.held_out, seed)
    names = [category.name for category in model_type.categories]
    weights = {name: max(1, settings.shots // len(names)) for name in names}
    tried: list[Candidate] = []
    for _ in range(settings.candidates):
        candidate = Candidate(
            system_prompt(model_type, "sft"), pick_shots(trajectories, weights, model_type)
        )
        score(client, model, settings, model_type, candidate, problems)
        tried.append(candidate)
        best = max(tried, key=lambda c: c.score)
        weakest = min(best.by_category, key=best.by_category.get, default=None)
        if weakest is None or best.score == 1.0:
            break
        weights = {**weights, weakest: weights[weakest] + 1}  # lean towards the weak category
    best = max(tried, key=lambda c: c.score)
    return {
        "best": asdict(best),
        "candidates": [
            {"score": c.score, "by_category": c.by_category, "shots": len(c.shots)} for c in tried
        ],
        "held_out": len(problems),
    }
