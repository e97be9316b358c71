"""The text the policy reads and writes: a line per step, `title: <think>monologue</think>action`.

The title comes first, so an SRL prompt can end with the title of the step to write (the
paper's hint: which step comes next); only the action after the monologue is scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelforge.modeltype import ModelType, Problem, Step, StepFormatError, StepInstance

THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"
_COMPLETION = re.compile(rf"^{re.escape(THINK_OPEN)}(?P<monologue>.*?){re.escape(THINK_CLOSE)}"
                         r"(?P<action>[^\n]*?)\s*$", re.DOTALL)


@dataclass(frozen=True)
class ParsedAction:
    """A completion split into its free monologue and the action that is scored."""

    monologue: str
    action: str


def step_line(step: Step) -> str:
    """An expert step as the policy writes it. The expert's rationale is not its monologue: the
    monologue is the policy's own, so expert lines carry an empty one."""
    body = f"{THINK_OPEN}{THINK_CLOSE}{step.action}"
    return f"{step.title}: {body}" if step.title else body


def problem_prompt(problem: Problem) -> str:
    """The prompt for a whole solution (RLVR, evaluation)."""
    return f"{problem.text}\n"


def instance_prompt(instance: StepInstance) -> str:
    """The prompt for one SRL step: problem, expert steps so far, the next step's title."""
    lines = "".join(step_line(step) + "\n" for step in instance.previous)
    hint = f"{instance.next_title}: " if instance.next_title else ""
    return problem_prompt(instance.problem) + lines + hint


def solution_text(steps: list[Step] | tuple[Step, ...]) -> str:
    """A whole expert solution as the completion of problem_prompt (pre-training, SFT)."""
    return "".join(step_line(step) + "\n" for step in steps)


def parse_action(completion: str) -> ParsedAction | None:
    """The monologue and action of one SRL completion, or None when it breaks the format."""
    match = _COMPLETION.match(completion.strip("\n"))
    if match is None or not match["action"].strip():
        return None
    return ParsedAction(match["monologue"], match["action"].strip())


def parse_solution(model_type: ModelType, completion: str) -> list[Step]:
    """The steps of a whole solution; StepFormatError when a line breaks the format."""
    steps = []
    for number, line in enumerate(completion.strip().splitlines(), 1):
        title, sep, rest = line.partition(": ")
        body = rest if sep and rest.startswith(THINK_OPEN) else line
        parsed = parse_action(body)
        if parsed is None:
            raise StepFormatError(f"line {number}: no `<think>…</think>action`: {line[:60]!r}")
        text = f"{title}: {parsed.action}" if body is rest else parsed.action
        steps.append(model_type.parse_step(text))
    if not steps:
        raise StepFormatError("no steps")
    return steps
