"""The `arith` step format: one line per step, `column K: X+Y+C=S`, `column K: X*Y+C=P`, `answer: ans=R`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelforge.modeltype import Step, StepFormatError

STEP_FORMAT = (
    "One step per line, right to left. For each column K (1 is the ones column) write "
    "`column K: X+Y+C=S` for addition or `column K: X*Y+C=P` for multiplication, where X and Y "
    "are the column's digits (Y is the one-digit multiplier), C the carry in and S or P the "
    "column's result. Then `answer: ans=R` with the full result. Nothing else on a line."
)

_LINE = re.compile(r"^(?P<title>column \d+|answer):\s*(?P<action>\S+?)\s*(?:#\s*(?P<why>.*))?$")
_COLUMN = re.compile(r"^(?P<x>\d)(?P<op>[+*])(?P<y>\d)\+(?P<carry>\d+)=(?P<result>\d+)$")
_ANSWER = re.compile(r"^ans=(?P<result>\d+)$")


@dataclass(frozen=True)
class ColumnAction:
    x: int
    op: str
    y: int
    carry: int
    result: int


def render(step: Step) -> str:
    line = f"{step.title}: {step.action}" if step.title else step.action
    return f"{line}  # {step.rationale}" if step.rationale else line


def parse(text: str) -> Step:
    match = _LINE.match(text.strip())
    if not match:
        raise StepFormatError(f"not `column K: ...` or `answer: ans=R`: {text.strip()[:60]!r}")
    title, action = match["title"], match["action"]
    pattern = _ANSWER if title == "answer" else _COLUMN
    if not pattern.match(action):
        raise StepFormatError(f"{title}: action {action[:40]!r} is not in the step format")
    return Step(action=action, rationale=match["why"] or None, title=title)


def column_action(action: str) -> ColumnAction | None:
    match = _COLUMN.match(action)
    if not match:
        return None
    return ColumnAction(
        int(match["x"]), match["op"], int(match["y"]), int(match["carry"]), int(match["result"])
    )


def answer_value(action: str) -> str | None:
    match = _ANSWER.match(action)
    return match["result"] if match else None
