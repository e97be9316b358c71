"""`sorting`: put a list of numbers in order by taking the smallest one left, one step at a time.

The four parts a model type supplies: a problem generator, the expert procedure, the step
format (render and parse one step), and the verifier (each step, then the outcome).
"""

from __future__ import annotations

import random
import re

from modelforge.modeltype import Category, Problem, Rules, Step, StepFormatError, Verdict

RULES = """
version = "1.0.0"

[rules]
format = "a step is `take N: rest A B C` (or `take N: rest -` when none is left), then `answer: A B C`"
smallest = "N is the smallest number left"
rest = "the rest is what was left, without N, in its order"
answer = "the answer lists every number taken, in the order taken"
"""

STEP_FORMAT = (
    "One step per line. Take the smallest number left: `take N: rest A B C`, where the rest is "
    "what is left, in the order it was given (`rest -` when nothing is left). When every number "
    "is taken, write `answer: ` and the numbers in the order taken."
)

_TAKE = re.compile(r"^take (?P<n>\d+): rest (?P<rest>-|\d+( \d+)*)$")
_ANSWER = re.compile(r"^answer: (?P<numbers>\d+( \d+)*)$")


def _numbers(text: str) -> list[int]:
    return [] if text == "-" else [int(part) for part in text.split()]


def _words(numbers: list[int]) -> str:
    return " ".join(str(n) for n in numbers) or "-"


class Sorting:
    """Sort a short list of numbers, smallest first."""

    name = "sorting"
    version = "1.0.0"
    step_format = STEP_FORMAT
    rules = Rules.from_toml(RULES)
    categories = (
        Category("small", "numbers below 10", (3, 4)),  # difficulty: how many numbers
        Category("large", "numbers below 100", (3, 4)),
    )

    # -- the problem generator: the same (category, difficulty, seed) gives the same problem
    def generate_problem(self, category: str, difficulty: int, seed: int) -> Problem:
        top = 10 if category == "small" else 100
        numbers = random.Random(seed).sample(range(top), difficulty)
        return Problem(category, difficulty, seed, f"sort: {_words(numbers)}", {"numbers": numbers})

    # -- the expert procedure
    def solve(self, problem: Problem) -> list[Step]:
        left, steps = list(problem.data["numbers"]), []
        while left:
            smallest = min(left)
            left.remove(smallest)
            steps.append(Step(f"take {smallest}: rest {_words(left)}"))
        taken = sorted(problem.data["numbers"])
        return [*steps, Step(f"answer: {_words(taken)}")]

    # -- the step format
    def render_step(self, step: Step) -> str:
        return step.action

    def parse_step(self, text: str) -> Step:
        text = text.strip()
        if not (_TAKE.match(text) or _ANSWER.match(text)):
            raise StepFormatError(f"not `take N: rest ...` or `answer: ...`: {text[:60]!r}")
        return Step(text)

    # -- the verifier
    def verify_step(self, problem: Problem, previous: list[Step], step: Step) -> Verdict:
        left = list(problem.data["numbers"])
        for done in previous:
            if match := _TAKE.match(done.action):
                left.remove(int(match["n"]))
        if match := _TAKE.match(step.action):
            n = int(match["n"])
            if not left or n != min(left):
                return Verdict.reject("smallest", f"{n} is not the smallest of {_words(left)}")
            left.remove(n)
            if _numbers(match["rest"]) != left:
                return Verdict.reject("rest", f"the rest is {_words(left)}")
            return Verdict.accept()
        if left:
            return Verdict.reject("answer", f"the answer comes after {_words(left)} are taken")
        return Verdict.accept()

    def outcome_of(self, problem: Problem, steps: list[Step]) -> str | None:
        last = steps[-1].action if steps else ""
        match = _ANSWER.match(last)
        return match["numbers"] if match else None

    def verify_outcome(self, problem: Problem, outcome: str) -> Verdict:
        if _numbers(outcome) != sorted(problem.data["numbers"]):
            return Verdict.reject("answer", f"{outcome} is not {problem.text[6:]} in order")
        return Verdict.accept()
