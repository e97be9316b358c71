"""`arith` assembled as a model type: categories and rules from rules.toml, the rest by module."""

from __future__ import annotations

from importlib.resources import files

from modelforge.modeltype import Category, Problem, Rules, Step, Verdict, category_named
from modelforge_arith import procedure, steps, verify


class Arith:
    """Multi-digit addition, and multiplication by one digit as the harder category."""

    name = "arith"
    version = "1.0.0"
    step_format = steps.STEP_FORMAT

    def __init__(self) -> None:
        self.rules = Rules.from_toml(files("modelforge_arith").joinpath("rules.toml").read_text())
        ladder = self.rules.data["difficulty"]
        levels = tuple(range(ladder["min_digits"], ladder["max_digits"] + 1))
        self.categories = tuple(
            Category(name, table["description"], levels)
            for name, table in self.rules.data["categories"].items()
        )

    def generate_problem(self, category: str, difficulty: int, seed: int) -> Problem:
        if difficulty not in category_named(self, category).levels:
            raise ValueError(f"arith {category} has no difficulty {difficulty}")
        return procedure.make_problem(category, difficulty, seed)

    def solve(self, problem: Problem) -> list[Step]:
        return procedure.solve(problem)

    def render_step(self, step: Step) -> str:
        return steps.render(step)

    def parse_step(self, text: str) -> Step:
        return steps.parse(text)

    def verify_step(self, problem: Problem, previous: list[Step], step: Step) -> Verdict:
        return verify.verify_step(problem, previous, step)

    def outcome_of(self, problem: Problem, steps_: list[Step]) -> str | None:
        return verify.outcome_of(steps_)

    def verify_outcome(self, problem: Problem, outcome: str) -> Verdict:
        return verify.verify_outcome(problem, outcome)
