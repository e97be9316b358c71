"""The model-type API: what a type supplies and what the generator, trainers and evaluator call.

A model type is any object with the attributes and methods of `ModelType` below, registered
through the `register_model_types` hook. The helpers at the bottom (step instances for SRL,
action similarity, whole-trajectory verification, solution text) work for every type.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable


class StepFormatError(ValueError):
    """A step's text does not follow the type's step format; the message says why."""


@dataclass(frozen=True)
class Category:
    """A skill that evaluation and weakness tracking report on, with its difficulty ladder."""

    name: str
    description: str
    levels: tuple[int, ...]


@dataclass(frozen=True)
class Problem:
    """One task; `seed` with category and difficulty reproduces it exactly."""

    category: str
    difficulty: int
    seed: int
    text: str  # what a model is shown
    data: dict[str, Any] = field(default_factory=dict)  # what the expert and verifier read


@dataclass(frozen=True)
class Step:
    """One expert action. `title` names the step (e.g. "column 3") and may be shown in advance."""

    action: str
    rationale: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Verdict:
    """A verifier's answer: accepted, or rejected with the rule that failed and where."""

    ok: bool
    reason: str | None = None
    rule: str | None = None
    step: int | None = None  # 0-based index of the failing step; None for the outcome

    @classmethod
    def accept(cls) -> Verdict:
        return cls(True)

    @classmethod
    def reject(cls, rule: str, reason: str, step: int | None = None) -> Verdict:
        return cls(False, reason, rule, step)


@dataclass(frozen=True)
class Rules:
    """A type's rules as versioned data; a new version marks what was trained on the old one."""

    version: str
    data: dict[str, Any]

    @classmethod
    def from_toml(cls, text: str) -> Rules:
        data = tomllib.loads(text)
        version = data.get("version")
        if not isinstance(version, str) or not version:
            raise ValueError("a rules file needs a string `version`")
        return cls(version, data)


@dataclass(frozen=True)
class Trajectory:
    """A problem with its expert steps and the outcome they reach."""

    problem: Problem
    steps: tuple[Step, ...]
    outcome: str


@dataclass(frozen=True)
class StepInstance:
    """One SRL training instance: the expert's context so far and the next expert step."""

    problem: Problem
    previous: tuple[Step, ...]
    target: Step
    context: str  # the problem text and the previous steps, rendered in the step format

    @property
    def next_title(self) -> str | None:
        """The title of the step to write (the paper's hint: which column comes next)."""
        return self.target.title


@runtime_checkable
class ModelType(Protocol):
    """What a model type supplies. Methods must not keep state between calls."""

    name: str
    version: str
    rules: Rules
    categories: tuple[Category, ...]
    step_format: str  # how a step is written, in words a model can follow

    def generate_problem(self, category: str, difficulty: int, seed: int) -> Problem: ...

    def solve(self, problem: Problem) -> list[Step]:
        """The expert procedure: the ordered steps that solve the problem."""

    def render_step(self, step: Step) -> str:
        """One line of text for the step."""

    def parse_step(self, text: str) -> Step:
        """The step a line of text holds; raise StepFormatError if it holds none."""

    def verify_step(self, problem: Problem, previous: list[Step], step: Step) -> Verdict: ...

    def outcome_of(self, problem: Problem, steps: list[Step]) -> str | None:
        """The outcome the steps reach, or None if they reach none."""

    def verify_outcome(self, problem: Problem, outcome: str) -> Verdict: ...


# ---------------------------------------------------------------- helpers for every type


def category_named(model_type: ModelType, name: str) -> Category:
    for category in model_type.categories:
        if category.name == name:
            return category
    known = ", ".join(c.name for c in model_type.categories)
    raise KeyError(f"model type '{model_type.name}' has no category '{name}' (known: {known})")


def render_steps(model_type: ModelType, steps: list[Step] | tuple[Step, ...]) -> str:
    return "\n".join(model_type.render_step(step) for step in steps)


def parse_steps(model_type: ModelType, text: str) -> list[Step]:
    """Every non-blank line as a step; StepFormatError names the first line that is not one."""
    steps = []
    for number, line in enumerate(text.strip().splitlines(), 1):
        if not line.strip():
            continue
        try:
            steps.append(model_type.parse_step(line.strip()))
        except StepFormatError as exc:
            raise StepFormatError(f"line {number}: {exc}") from None
    if not steps:
        raise StepFormatError("no steps")
    return steps


def verify_trajectory(model_type: ModelType, problem: Problem, steps: list[Step]) -> Verdict:
    """Check every step in order, then the outcome the steps reach."""
    for index, step in enumerate(steps):
        verdict = model_type.verify_step(problem, steps[:index], step)
        if not verdict.ok:
            return Verdict.reject(verdict.rule or "step", verdict.reason or "rejected", index)
    outcome = model_type.outcome_of(problem, steps)
    if outcome is None:
        return Verdict.reject("outcome-missing", "the steps do not reach an outcome")
    return model_type.verify_outcome(problem, outcome)


def step_instances(
    model_type: ModelType, trajectory: Trajectory, *, include_first: bool = False
) -> list[StepInstance]:
    """SRL instances from one trajectory: N steps give N-1 (targets step 2..N), as in the paper.

    include_first adds the first step as a target with the bare problem as context.
    """
    start = 0 if include_first else 1
    instances = []
    for index in range(start, len(trajectory.steps)):
        previous = trajectory.steps[:index]
        context = trajectory.problem.text
        if previous:
            context += "\n" + render_steps(model_type, previous)
        instances.append(
            StepInstance(trajectory.problem, previous, trajectory.steps[index], context)
        )
    return instances


def action_similarity(
    predicted: str, expert: str, method: Literal["difflib", "indel"] = "difflib"
) -> float:
    """SRL's step reward in [0, 1]: 2M/T by difflib (the paper's), or rapidfuzz's exact-LCS Indel."""
    if method == "difflib":
        from difflib import SequenceMatcher

        return SequenceMatcher(None, predicted, expert).ratio()
    if method == "indel":
        from rapidfuzz.distance import Indel

        return Indel.normalized_similarity(predicted, expert)
    raise ValueError(f"unknown similarity method {method!r}: use 'difflib' or 'indel'")


def step_match(
    predicted: Step, expert: Step, method: Literal["difflib", "indel"] = "difflib"
) -> float:
    """SRL's similarity reward for a well-formed step, in [0, 1]: 0 when it is another step than
    the expert's (its title differs: a column skipped, an answer too soon), else the similarity
    of the two actions. Scored apart because a title shared by both strings pays every action
    for it: `column 2: ` is 10 of the 17 characters of an arith column step and shrank the gap
    between a right and a one-digit-wrong step 2.4 times (bench/title_share.py)."""
    if predicted.title != expert.title:
        return 0.0
    return action_similarity(predicted.action, expert.action, method)
