"""One example through the three roles: A gathers, B writes, C judges, B retries on objections.

Whatever a role does wrong (raises, times out, answers garbage) ends as a rejection with a
reason, never as an exception out of here.
"""

from __future__ import annotations

from dataclasses import dataclass

from modelforge.modeltype import Problem, StepFormatError, Trajectory, Verdict
from modelforge.redact import redact
from modelforge_generate.backends import BackendError
from modelforge_generate.roles import Roles


@dataclass(frozen=True)
class Result:
    """A verified trajectory, or the reason it was rejected."""

    trajectory: Trajectory | None
    reason: str | None = None  # a short key counted per batch, e.g. "rule:carry-in"
    detail: str | None = None
    rounds: int = 0


def collaborate(roles: Roles, problem: Problem, weaknesses: list[str], max_retries: int) -> Result:
    try:
        notes = roles.notes(problem, weaknesses)
    except BackendError as exc:
        return Result(None, "backend-error:context", str(exc))
    objections: list[str] = []
    verdict = Verdict.reject("none", "not judged")
    for round_ in range(1, max_retries + 2):
        try:
            steps = roles.teach(problem, notes, objections)
        except StepFormatError as exc:
            verdict = Verdict.reject("unparseable", f"the teacher's answer does not parse: {exc}")
            objections.append(verdict.reason)
            continue
        except BackendError as exc:
            return Result(None, "backend-error:teacher", str(exc), round_)
        try:
            verdict = roles.judge(problem, steps)
        except BackendError as exc:
            return Result(None, "backend-error:verifier", str(exc), round_)
        except Exception as exc:  # noqa: BLE001  (a verifier that raises rejects, never crashes)
            return Result(None, "verifier-error", redact(f"{type(exc).__name__}: {exc}"), round_)
        if verdict.ok:
            outcome = roles.model_type.outcome_of(problem, steps)
            return Result(Trajectory(problem, tuple(steps), outcome), rounds=round_)
        where = f" (step {verdict.step + 1})" if verdict.step is not None else ""
        objections.append(f"{verdict.rule}{where}: {verdict.reason}")
    reason = (
        verdict.rule
        if verdict.rule in ("unparseable", "verifier-unparseable")
        else f"rule:{verdict.rule}"
    )
    return Result(None, reason, verdict.reason, max_retries + 1)
