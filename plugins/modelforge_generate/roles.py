"""The three roles, each backed by the model type itself (procedural) or by a chat backend.

A: context gathers notes for the task; B: teacher writes the steps; C: verifier judges them.
A model verifier is asked only after the type's own rules accepted the trajectory: nothing
that breaks the rules is ever stored, whatever a model says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modelforge.errors import ModelforgeError
from modelforge.modeltype import (
    ModelType,
    Problem,
    Step,
    Verdict,
    parse_steps,
    render_steps,
    verify_trajectory,
)
from modelforge_generate import prompts
from modelforge_generate.backends import ChatBackend, build
from modelforge_generate.settings import BackendSettings, GenerateSettings

ROLE_KEYS = {"A": "context", "B": "teacher", "C": "verifier"}
MAX_NOTES = 2000


@dataclass
class Roles:
    """The three roles for one model type, and what to record of each in provenance."""

    model_type: ModelType
    context: ChatBackend | None  # None: procedural
    teacher: ChatBackend | None
    verifier: ChatBackend | None

    def describe(self) -> dict[str, Any]:
        return {
            role: {"backend": backend.name, "model": backend.model}
            if backend
            else {"backend": "procedural"}
            for role, backend in (
                ("context", self.context),
                ("teacher", self.teacher),
                ("verifier", self.verifier),
            )
        }

    @property
    def concurrency(self) -> int:
        """How many examples may be worked on at once: the tightest model backend's limit."""
        limits = [b.concurrency for b in (self.context, self.teacher, self.verifier) if b]
        return min(limits) if limits else 1

    def notes(self, problem: Problem, weaknesses: list[str]) -> str | None:
        if self.context is None:
            return None
        prompt = prompts.context_prompt(self.model_type, problem, weaknesses)
        return self.context.complete(prompts.CONTEXT_SYSTEM, prompt)[:MAX_NOTES]

    def teach(self, problem: Problem, notes: str | None, objections: list[str]) -> list[Step]:
        """The expert's steps; StepFormatError when a model's answer does not parse."""
        if self.teacher is None:
            return self.model_type.solve(problem)
        prompt = prompts.teacher_prompt(self.model_type, problem, notes, objections)
        return parse_steps(self.model_type, self.teacher.complete(prompts.TEACHER_SYSTEM, prompt))

    def judge(self, problem: Problem, steps: list[Step]) -> Verdict:
        verdict = verify_trajectory(self.model_type, problem, steps)
        if not verdict.ok or self.verifier is None:
            return verdict
        solution = render_steps(self.model_type, steps)
        answer = self.verifier.complete(
            prompts.VERIFIER_SYSTEM, prompts.verifier_prompt(self.model_type, problem, solution)
        ).strip()
        first = answer.splitlines()[0].strip() if answer else ""
        if first.upper().startswith("ACCEPT"):
            return Verdict.accept()
        if first.upper().startswith("REJECT"):
            return Verdict.reject(
                "verifier-objection", first[6:].lstrip(": ").strip() or "no reason given"
            )
        return Verdict.reject("verifier-unparseable", f"the verifier answered {first[:80]!r}")


def parse_spec(text: str) -> dict[str, str]:
    """`A=procedural,B=openai-compatible:gpt-4o-mini` as {"context": ..., "teacher": ...}."""
    specs = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or key.strip().upper() not in ROLE_KEYS or not value.strip():
            raise ModelforgeError(
                f"bad role {part!r}: write A=…, B=… or C=… (A context, B teacher, C verifier)"
            )
        specs[ROLE_KEYS[key.strip().upper()]] = value.strip()
    return specs


def build_roles(
    model_type: ModelType, config: GenerateSettings, overrides: dict[str, str]
) -> Roles:
    chosen = {**config.roles.model_dump(), **overrides}
    backends: dict[str, ChatBackend | None] = {}
    for role in ("context", "teacher", "verifier"):
        name, _, model = chosen[role].partition(":")
        if name == "procedural":
            backends[role] = None
            continue
        backends[role] = build(name, model or None, config.backends.get(name) or BackendSettings())
    return Roles(model_type, **backends)
