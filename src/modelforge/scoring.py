"""Held-out checks the trainers report: exact-outcome pass rate per difficulty, and mean
step similarity on expert step instances (greedy decoding, so figures are reproducible)."""

from __future__ import annotations

import random
from collections import defaultdict
from typing import Any

from modelforge.modeltype import (
    ModelType,
    Problem,
    StepFormatError,
    Trajectory,
    step_instances,
    step_match,
)
from modelforge.policy_format import (
    instance_prompt,
    parse_solution,
    problem_prompt,
    scored_step_of,
)

STEP_TOKENS = 160  # one whole step: building's longest, title included, is 138 embedded tokens


def held_out_problems(
    model_type: ModelType, per_level: int, seed: int, split: str = "held-out"
) -> list[Problem]:
    """Fresh problems for every category and level, seeded apart from training draws and
    from every other split."""
    rng = random.Random(f"{split}:{model_type.name}:{seed}")
    return [
        model_type.generate_problem(c.name, level, rng.randrange(1 << 30))
        for c in model_type.categories
        for level in c.levels
        for _ in range(per_level)
    ]


def greedy(
    model,
    tokenizer,
    prompts: list[str],
    max_new_tokens: int,
    stop_ids: list[int],
    batch_size: int = 64,
) -> list[str]:
    """Greedy completions, left-padded in batches; the tokenizer keeps its own padding side."""
    return complete(
        model, tokenizer, prompts, max_new_tokens, stop_ids, batch_size, do_sample=False
    )


def complete(
    model,
    tokenizer,
    prompts: list[str],
    max_new_tokens: int,
    stop_ids: list[int],
    batch_size: int,
    **generation,
) -> list[str]:
    """Completions of `prompts` in left-padded batches, `num_return_sequences` of them adjacent
    per prompt when sampling; the tokenizer keeps its own padding side."""
    import torch

    device = next(model.parameters()).device
    out = []
    model.eval()
    side, tokenizer.padding_side = tokenizer.padding_side, "left"
    try:
        for start in range(0, len(prompts), batch_size):
            chunk = prompts[start : start + batch_size]
            encoded = tokenizer(chunk, return_tensors="pt", padding=True).to(device)
            with torch.no_grad():
                ids = model.generate(
                    **encoded,
                    max_new_tokens=max_new_tokens,
                    eos_token_id=stop_ids,
                    pad_token_id=tokenizer.pad_token_id,
                    **generation,
                )
            completions = ids[:, encoded["input_ids"].shape[1] :]
            out += tokenizer.batch_decode(completions, skip_special_tokens=True)
    finally:
        tokenizer.padding_side = side
    return out


def solves(model_type: ModelType, problem: Problem, completion: str) -> bool:
    try:
        steps = parse_solution(model_type, completion)
    except StepFormatError:
        return False
    outcome = model_type.outcome_of(problem, steps)
    return outcome is not None and model_type.verify_outcome(problem, outcome).ok


def pass_rates(
    model, tokenizer, model_type: ModelType, problems: list[Problem], max_new_tokens: int
) -> dict[str, Any]:
    """Overall and per `category:difficulty` share of problems solved exactly."""
    completions = greedy(
        model,
        tokenizer,
        [problem_prompt(p, tokenizer) for p in problems],
        max_new_tokens,
        [tokenizer.eos_token_id],
    )
    by_level: dict[str, list[bool]] = defaultdict(list)
    for problem, completion in zip(problems, completions):
        by_level[f"{problem.category}:{problem.difficulty}"].append(
            solves(model_type, problem, completion)
        )
    flat = [ok for oks in by_level.values() for ok in oks]
    return {
        "overall": round(sum(flat) / len(flat), 4) if flat else None,
        "by_difficulty": {key: round(sum(v) / len(v), 4) for key, v in by_level.items()},
    }


def step_similarity(
    model,
    tokenizer,
    model_type: ModelType,
    problems: list[Problem],
    method: str = "difflib",
    title_hint: bool = False,
) -> float | None:
    """Mean similarity of the model's next step to the expert's over held-out step instances,
    as SRL's similarity reward scores it (the title's choice, then the action), a step that
    breaks the format or the type's grammar counting 0."""
    instances = [
        instance
        for problem in problems
        for instance in step_instances(
            model_type, Trajectory(problem, tuple(model_type.solve(problem)), "")
        )
    ]
    if not instances:
        return None
    completions = greedy(
        model,
        tokenizer,
        [instance_prompt(i, title_hint, tokenizer) for i in instances],
        STEP_TOKENS,
        [tokenizer.eos_token_id, *newline_id(tokenizer)],
    )
    scores = []
    for instance, completion in zip(instances, completions):
        hint = instance.next_title if title_hint else None
        step = scored_step_of(model_type, completion, hint)
        scores.append(0.0 if step is None else step_match(step, instance.target, method))
    return round(sum(scores) / len(scores), 4)


def newline_id(tokenizer) -> list[int]:
    """The newline that ends a step, where it is one token (a byte-level vocabulary spells it
    `Ċ`, so it is encoded, not looked up)."""
    ids = tokenizer.encode("\n", add_special_tokens=False)
    return ids if len(ids) == 1 else []


def pass_at_k(
    model,
    tokenizer,
    model_type: ModelType,
    problems: list[Problem],
    k: int,
    max_new_tokens: int,
    temperature: float = 1.0,
) -> float | None:
    """Share of problems with at least one exact solution among k sampled completions: whether
    a correct solution is within the policy's reach at all, which greedy accuracy hides."""
    if not problems:
        return None
    completions = complete(
        model,
        tokenizer,
        [problem_prompt(p, tokenizer) for p in problems],
        max_new_tokens,
        [tokenizer.eos_token_id],
        batch_size=8,
        do_sample=True,
        temperature=temperature,
        top_k=0,
        top_p=1.0,
        num_return_sequences=k,
    )
    solved = sum(
        any(solves(model_type, problem, c) for c in completions[index * k : (index + 1) * k])
        for index, problem in enumerate(problems)
    )
    return round(solved / len(problems), 4)
