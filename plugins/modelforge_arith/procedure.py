"""The `arith` problems and the expert procedure: seeded operands, then columns with carries."""

from __future__ import annotations

import random
from dataclasses import dataclass

from modelforge.modeltype import Problem, Step

OPERATORS = {"addition": "+", "multiplication": "*"}


@dataclass(frozen=True)
class Column:
    """What the expert writes for one column, right to left (index 1 is the ones column)."""

    index: int
    x: int
    y: int
    carry_in: int
    result: int


def make_problem(category: str, digits: int, seed: int) -> Problem:
    rng = random.Random(f"arith:{category}:{digits}:{seed}")  # str seeds are stable across runs
    a = rng.randint(10 ** (digits - 1), 10**digits - 1)
    b = (
        rng.randint(10 ** (digits - 1), 10**digits - 1)
        if category == "addition"
        else rng.randint(2, 9)
    )
    op = OPERATORS[category]
    return Problem(category, digits, seed, f"{a}{op}{b}", {"a": a, "b": b, "op": op})


def columns(problem: Problem) -> list[Column]:
    a, b, op = problem.data["a"], problem.data["b"], problem.data["op"]
    a_digits = [int(d) for d in reversed(str(a))]
    b_digits = [int(d) for d in reversed(str(b))]
    out, carry = [], 0
    for index, x in enumerate(a_digits, 1):
        if op == "+":
            y = b_digits[index - 1] if index <= len(b_digits) else 0
        else:
            y = b
        result = x + y + carry if op == "+" else x * y + carry
        out.append(Column(index, x, y, carry, result))
        carry = result // 10
    return out


def answer(problem: Problem) -> str:
    a, b = problem.data["a"], problem.data["b"]
    return str(a + b if problem.data["op"] == "+" else a * b)


def solve(problem: Problem) -> list[Step]:
    op = problem.data["op"]
    steps = [
        Step(
            action=f"{c.x}{op}{c.y}+{c.carry_in}={c.result}",
            rationale=f"write {c.result % 10}, carry {c.result // 10}",
            title=f"column {c.index}",
        )
        for c in columns(problem)
    ]
    steps.append(Step(action=f"ans={answer(problem)}", title="answer"))
    return steps
