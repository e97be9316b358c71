"""The `arith` verifier: each step against the expert's column, then the exact outcome.

A step is checked on the assumption that the steps before it were accepted, which is how
`modelforge.modeltype.verify_trajectory` calls it.
"""

from __future__ import annotations

from modelforge.modeltype import Problem, Step, Verdict
from modelforge_arith import steps as fmt
from modelforge_arith.procedure import answer, columns


def verify_step(problem: Problem, previous: list[Step], step: Step) -> Verdict:
    expected = columns(problem)
    position = len(previous) + 1
    if position > len(expected) + 1:
        return Verdict.reject("column-order", "a step after the answer")
    if position == len(expected) + 1:
        return _verify_answer(problem, step)
    if step.title != f"column {position}":
        return Verdict.reject("column-order", f"expected `column {position}`, got {step.title!r}")
    action = fmt.column_action(step.action)
    if action is None or action.op != problem.data["op"]:
        return Verdict.reject("format", f"not a column action for {problem.text}: {step.action!r}")
    column = expected[position - 1]
    if (action.x, action.y) != (column.x, column.y):
        return Verdict.reject(
            "operands",
            f"column {position} holds {column.x} and {column.y}, not {action.x} and {action.y}",
        )
    if action.carry != column.carry_in:
        return Verdict.reject(
            "carry-in", f"column {position} carries in {column.carry_in}, not {action.carry}"
        )
    if action.result != column.result:
        return Verdict.reject(
            "column-result", f"column {position} makes {column.result}, not {action.result}"
        )
    return Verdict.accept()


def _verify_answer(problem: Problem, step: Step) -> Verdict:
    if step.title != "answer":
        return Verdict.reject("final-carry", "every column is done: the next step is the answer")
    value = fmt.answer_value(step.action)
    if value is None:
        return Verdict.reject("format", f"not `ans=R`: {step.action!r}")
    if value != answer(problem):
        return Verdict.reject("answer", f"the columns give {answer(problem)}, not {value}")
    return Verdict.accept()


def outcome_of(steps: list[Step]) -> str | None:
    if not steps or steps[-1].title != "answer":
        return None
    return fmt.answer_value(steps[-1].action)


def verify_outcome(problem: Problem, outcome: str) -> Verdict:
    if outcome.strip() != answer(problem):
        return Verdict.reject("exact-result", f"{problem.text} is not {outcome.strip()[:40]}")
    return Verdict.accept()
