"""The texts the model roles are given: context (A), teacher (B), verifier (C)."""

from __future__ import annotations

import json

from modelforge.modeltype import ModelType, Problem

CONTEXT_SYSTEM = "You prepare the material an expert needs to solve one task of a given kind."
TEACHER_SYSTEM = (
    "You are the expert. Solve the task step by step in exactly the step format given. "
    "Write only the steps, one per line, nothing else."
)
VERIFIER_SYSTEM = (
    "You check an expert's solution against the rules. Answer with one line: ACCEPT, or "
    "REJECT: followed by the reason."
)


def rules_text(model_type: ModelType) -> str:
    return json.dumps(model_type.rules.data, indent=1, default=str)


def context_prompt(model_type: ModelType, problem: Problem, weaknesses: list[str]) -> str:
    weak = ", ".join(weaknesses) or "none recorded"
    return (
        f"Task kind: {model_type.name}, category {problem.category}, difficulty {problem.difficulty}.\n"
        f"Rules (version {model_type.rules.version}):\n{rules_text(model_type)}\n"
        f"Weak categories to target: {weak}.\nTask: {problem.text}\n"
        "List briefly the rules and facts the expert must apply to this task."
    )


def teacher_prompt(
    model_type: ModelType, problem: Problem, notes: str | None, objections: list[str]
) -> str:
    parts = [f"Step format: {model_type.step_format}"]
    if notes:
        parts.append(f"Notes for this task:\n{notes}")
    if objections:
        parts.append("Your previous answer was rejected: " + "; ".join(objections) + ". Fix it.")
    parts.append(f"Task: {problem.text}")
    return "\n\n".join(parts)


def verifier_prompt(model_type: ModelType, problem: Problem, solution: str) -> str:
    return (
        f"Rules (version {model_type.rules.version}):\n{rules_text(model_type)}\n\n"
        f"Task: {problem.text}\n\nSolution:\n{solution}"
    )
