"""The shape all seven pack types share: each step decides some keys of one JSON outcome.

A type names its stages (the step titles, in order, with the outcome keys each writes), a
`procedure` module (draw, describe, solve) and a `verify` module (CHECKS: one rule check per
stage). A step is checked with the outcome built so far; the outcome is checked stage by stage
from the problem alone, so a forged outcome meets the same rules as a derived one.
"""

from __future__ import annotations

import json
import random
from importlib.resources import files
from types import ModuleType
from typing import Any

from modelforge.modeltype import Category, Problem, Rules, Step, Verdict, category_named
from modelforge_gamepack.kit import lines
from modelforge_gamepack.kit.checks import Broken


class StagedType:
    """Subclasses set name, version, package, stages, step_hint, procedure and verify."""

    name: str
    version: str
    package: str  # the subpackage whose rules.toml holds the rules
    stages: tuple[tuple[str, tuple[str, ...]], ...]  # (step title, outcome keys it writes)
    step_hint: str  # what each stage's JSON object holds, for the teacher
    procedure: ModuleType
    verify: ModuleType

    def __init__(self) -> None:
        self.rules = Rules.from_toml(files(self.package).joinpath("rules.toml").read_text())
        self.categories = tuple(
            Category(name, table["description"], tuple(table["levels"]))
            for name, table in self.rules.data["categories"].items()
        )
        titles = ", ".join(f"`{title}`" for title, _ in self.stages)
        self.step_format = (
            f"One step per line, in this order: {titles}. Each line is `TITLE: {{JSON object}}`, "
            f"optionally followed by `# rationale`. {self.step_hint}"
        )

    @property
    def titles(self) -> tuple[str, ...]:
        return tuple(title for title, _ in self.stages)

    def generate_problem(self, category: str, difficulty: int, seed: int) -> Problem:
        if difficulty not in category_named(self, category).levels:
            raise ValueError(f"{self.name} {category} has no difficulty {difficulty}")
        rng = random.Random(f"{self.name}:{category}:{difficulty}:{seed}")
        data = self.procedure.draw(self.rules.data, rng, category, difficulty)
        return Problem(category, difficulty, seed, self.procedure.describe(data), data)

    def solve(self, problem: Problem) -> list[Step]:
        decisions = self.procedure.solve(self.rules.data, problem.data)
        return [
            Step(lines.canonical(written), rationale=why, title=title)
            for (title, _), (written, why) in zip(self.stages, decisions, strict=True)
        ]

    def render_step(self, step: Step) -> str:
        return lines.render(step)

    def parse_step(self, text: str) -> Step:
        return lines.parse(text, self.titles)

    def verify_step(self, problem: Problem, previous: list[Step], step: Step) -> Verdict:
        position = len(previous)
        if position >= len(self.stages):
            return Verdict.reject("step-order", "a step after the last stage", position)
        title, keys = self.stages[position]
        if step.title != title:
            return Verdict.reject(
                "step-order", f"step {position + 1} is `{title}`, not {step.title!r}", position
            )
        written = lines.fields(step)
        if written is None or set(written) != set(keys):
            return Verdict.reject(
                "format", f"`{title}` writes exactly the keys {', '.join(keys)}", position
            )
        so_far: dict[str, Any] = {}
        for earlier in previous:
            so_far.update(lines.fields(earlier) or {})
        return self._judge(problem, [title], {**so_far, **written}, position)

    def outcome_of(self, problem: Problem, steps: list[Step]) -> str | None:
        if tuple(step.title for step in steps) != self.titles:
            return None
        outcome: dict[str, Any] = {}
        for step in steps:
            written = lines.fields(step)
            if written is None:
                return None
            outcome.update(written)
        return lines.canonical(outcome)

    def verify_outcome(self, problem: Problem, outcome: str) -> Verdict:
        try:
            value = json.loads(outcome)
        except (json.JSONDecodeError, TypeError, RecursionError):
            return Verdict.reject("format", "the outcome is not JSON")
        keys = {key for _, written in self.stages for key in written}
        if not isinstance(value, dict) or set(value) != keys:
            return Verdict.reject("format", f"the outcome is an object with keys {sorted(keys)}")
        return self._judge(problem, list(self.titles), value, None)

    def _judge(
        self, problem: Problem, stages: list[str], outcome: dict[str, Any], step: int | None
    ) -> Verdict:
        try:
            for stage in stages:
                self.verify.CHECKS[stage](self.rules.data, problem.data, outcome)
        except Broken as broken:
            return Verdict.reject(broken.rule, broken.reason, step)
        # a malformed value; ArithmeticError: JSON's Infinity or a huge integer made a number
        except (KeyError, TypeError, ValueError, AttributeError, ArithmeticError) as exc:
            return Verdict.reject("format", f"malformed answer: {type(exc).__name__}: {exc}", step)
        return Verdict.accept()
