"""Load a local model or peft adapter folder and score it on held-out problems.

torch and transformers are imported here only, never by plugin.py.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from modelforge.modeltype import ModelType, Problem, StepFormatError, verify_trajectory
from modelforge.policy_format import parse_solution, problem_prompt, solution_text
from modelforge.scoring import greedy, step_similarity
from modelforge_evaluate.heldout import HeldOutProblem
from modelforge_evaluate.settings import EvaluateSettings


@dataclass(frozen=True)
class SampleResult:
    item: HeldOutProblem
    prompt: str
    output: str
    ok: bool
    rule: str | None
    reason: str | None


@dataclass(frozen=True)
class ModelRun:
    samples: list[SampleResult]
    step_similarity: float | None
    seconds: float
    cpu_seconds: float
    tokens: int


def load(path: str):
    """(model, tokenizer) from a full-weights folder or a peft adapter folder (its base, a
    folder or an imported base's name, loaded under it)."""
    from modelforge.hf_models import load_causal_lm

    folder = Path(path)
    if not folder.exists():
        raise FileNotFoundError(f"model folder {folder} does not exist")
    return load_causal_lm(str(folder))


def judge(
    model_type: ModelType, problem: Problem, output: str
) -> tuple[bool, str | None, str | None]:
    """(outcome verified, first rule broken, why): the outcome decides, the rule explains."""
    try:
        steps = parse_solution(model_type, output)
    except StepFormatError as exc:
        return False, "format", str(exc)
    outcome = model_type.outcome_of(problem, steps)
    ok = outcome is not None and model_type.verify_outcome(problem, outcome).ok
    verdict = verify_trajectory(model_type, problem, steps)
    return ok, verdict.rule if not verdict.ok else None, verdict.reason if not verdict.ok else None


def run(
    model,
    tokenizer,
    model_type: ModelType,
    items: list[HeldOutProblem],
    settings: EvaluateSettings,
    progress: Callable[[int], None] = lambda done: None,
) -> ModelRun:
    """Greedy whole solutions per difficulty level (each level gets its expert length plus
    room, so short problems do not pay for long ones), then step similarity on a few.
    progress(n) is told the problems answered so far, after every batch."""
    by_level: dict[int, list[HeldOutProblem]] = defaultdict(list)
    for item in items:
        by_level[item.problem.difficulty].append(item)
    started, cpu_started = time.monotonic(), time.process_time()
    samples, tokens = [], 0
    for level in sorted(by_level):
        group = by_level[level]
        expert = max(len(solution_text(model_type.solve(i.problem))) for i in group)
        prompts = [problem_prompt(i.problem, tokenizer) for i in group]
        budget = min(
            settings.max_new_tokens, int(expert * 1.25) + 16, _room(model, tokenizer, prompts)
        )
        outputs = []
        for start in range(0, len(prompts), settings.batch_size):  # greedy's own batches
            chunk = prompts[start : start + settings.batch_size]
            outputs += greedy(
                model, tokenizer, chunk, budget, [tokenizer.eos_token_id], settings.batch_size
            )
            progress(len(samples) + len(outputs))
        for item, prompt, output in zip(group, prompts, outputs):
            ok, rule, reason = judge(model_type, item.problem, output)
            samples.append(SampleResult(item, prompt, output, ok, rule, reason))
            tokens += len(tokenizer(output, add_special_tokens=False)["input_ids"])
    seconds, cpu_seconds = time.monotonic() - started, time.process_time() - cpu_started
    similarity = None
    if settings.step_similarity_per_category:
        chosen = _first_per_category(items, settings.step_similarity_per_category)
        similarity = step_similarity(model, tokenizer, model_type, [i.problem for i in chosen])
    return ModelRun(samples, similarity, seconds, cpu_seconds, tokens)


def _room(model, tokenizer, prompts: list[str]) -> int:
    """New tokens that fit the model's context after the longest prompt."""
    limit = getattr(model.config, "max_position_embeddings", None)
    if not limit:
        return 1 << 30
    longest = max(len(tokenizer(p, add_special_tokens=False)["input_ids"]) for p in prompts)
    return max(1, limit - longest)


def _first_per_category(items: list[HeldOutProblem], count: int) -> list[HeldOutProblem]:
    taken: dict[str, int] = defaultdict(int)
    chosen = []
    for item in items:
        if taken[item.problem.category] < count:
            taken[item.problem.category] += 1
            chosen.append(item)
    return chosen
