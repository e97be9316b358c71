"""The optional judge: a generation role's model gives a second opinion on `review` findings.

With `[audit] judge = "<role>"` (context, teacher or verifier), each `review` finding's task
text goes, with the plan's rules, to the chat backend that role is configured with under
`[generate.roles]` (a local Hugging Face model, an OpenAI-compatible server, Anthropic or
Gemini: the generation plugin's own backends, no client of our own). Its verdict and reason are
stored with their provenance (backend, model, prompt hash) and shown beside the finding; the
finding stays `review`, so `--apply` never marks a task on a model's word alone. The same prompt
to the same model is answered once: a stored judgement is reused.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel, col, select

from modelforge.config import Config
from modelforge.db import Database
from modelforge.errors import ModelforgeError
from modelforge.models import utcnow
from modelforge.plugins import Plugins
from modelforge_audit.settings import AuditSettings

ROLES = ("context", "teacher", "verifier")
VERDICTS = ("deprecate", "enhance", "update", "review", "none")
MAX_ANSWER = 2000  # characters of the raw answer kept

SYSTEM = (
    "You audit a team's task plan as it moves from old-style fine-tuning to SRL→RLVR "
    "(supervised reinforcement learning on expert trajectories, then reinforcement learning "
    "with verifiable rewards). You judge one task by its purpose, not by the words it mentions. "
    "Answer with one line: VERDICT: reason, where VERDICT is one of "
    f"{', '.join(v.upper() for v in VERDICTS)}."
)


class AuditJudgement(SQLModel, table=True):
    """One verdict of the judge on one task text, with where it came from."""

    __tablename__ = "audit_judgements"
    id: int | None = Field(default=None, primary_key=True)
    judged_at: datetime = Field(default_factory=utcnow)
    root: str  # the PATH audited, resolved
    file: str  # relative to root
    task_id: str
    title: str
    verdict: str  # one of VERDICTS, or "unparseable"
    reason: str
    role: str  # the generation role asked
    backend: str
    model: str
    prompt_hash: str = Field(index=True)  # sha256 of the system and user prompts
    answer: str  # the model's answer as given (cut at MAX_ANSWER)


def rules(settings: AuditSettings) -> str:
    """The plan's rules, as the judge reads them: the decision rules and the mapping."""
    lines = [
        "Rules of the plan:",
        (
            "- DEPRECATE only a task whose purpose is the old pipeline: old-style fine-tuning, "
            "LoRA/adapter training runs, or preparing its data from historical logs or static "
            "datasets. A single deliverable or acceptance line is never enough."
        ),
        (
            "- UPDATE a serving, inference, adapter or model system, which stays but must use "
            "SRL→RLVR-trained artifacts; also a task with a line that trains the old way (that "
            "line moves to SRL→RLVR)."
        ),
        (
            "- ENHANCE a task whose purpose is validating trained models: it takes on step-wise "
            "and outcome evaluation."
        ),
        "- REVIEW a task that only mentions training and whose purpose you cannot tell.",
        (
            "- NONE when the task has nothing to do with training models (training people or game "
            "characters, integration with a server, testing the game)."
        ),
        "",
        "Old task kinds and their replacements:",
    ]
    for rule in settings.rules:
        replaced = ", ".join(rule.replacement) or "-"
        lines.append(f"- {rule.kind} ({rule.action}): {', '.join(rule.terms[:6])} -> {replaced}")
    return "\n".join(lines)


def prompt(finding: dict[str, Any], text: str, settings: AuditSettings) -> str:
    """The user prompt for one finding: the rules, the task as written, what was found."""
    return (
        f"{rules(settings)}\n\n"
        f"Task {finding['task_id']} from {finding['file']}, as written:\n"
        f"<<<\n{text}\n>>>\n\n"
        f"The rule-based auditor could not decide: {'; '.join(finding['reasons'])}.\n"
        "What should be done with this task? One line: VERDICT: reason."
    )


def prompt_hash(system: str, user: str) -> str:
    return hashlib.sha256(f"{system}\0{user}".encode()).hexdigest()


def parse(answer: str) -> tuple[str, str]:
    """(verdict, reason) from the answer's first non-empty line; ("unparseable", line) else."""
    first = next((line.strip() for line in answer.splitlines() if line.strip()), "")
    head, _, rest = first.partition(":")
    word = head.strip(" *`#-").lower()
    if word in VERDICTS:
        return word, rest.strip() or "no reason given"
    return "unparseable", first[:200] or "an empty answer"


def backend_for(config: Config, role: str, plugins: Plugins):
    """The chat backend the role `role` is configured with, from whichever plugin answers the
    `chat_backend` hook (the generate plugin: its roles and backends).

    Raises ModelforgeError, with what to change, for an unknown or procedural role or when no
    loaded plugin provides chat backends.
    """
    if not plugins.implementations("chat_backend"):
        raise ModelforgeError(
            "[audit] judge needs the generate plugin (its roles and backends), which is not loaded"
        )
    try:
        backend = plugins.hook.chat_backend(role=role, config=config)
    except ModelforgeError as error:
        raise ModelforgeError(f"[audit] judge = {role!r}: {error}, or unset the judge") from None
    if backend is None:
        raise ModelforgeError(
            f"[audit] judge = {role!r} is not a generation role: use one of {', '.join(ROLES)}"
        )
    return backend


def judge(
    db: Database,
    findings: list[dict[str, Any]],
    texts: dict[tuple[str, str, int], str],
    settings: AuditSettings,
    backend,
) -> tuple[int, list[dict[str, str]]]:
    """Judge every `review` finding whose text is known; return (judged, problems).

    Each judged finding gains `judge` ({verdict, reason, role, backend, model, prompt_hash}).
    A backend failure is a problem for that finding, never the end of the audit.
    """
    from modelforge_audit.store import root_key

    judged, problems = 0, []
    for finding in findings:
        text = texts.get((finding["root"], finding["file"], finding["line"]))
        if finding["action"] != "review" or text is None:
            continue
        user = prompt(finding, text, settings)
        digest = prompt_hash(SYSTEM, user)
        row = _stored(db, digest, backend.model)
        if row is None:
            try:
                answer = backend.complete(SYSTEM, user)
            except Exception as exc:  # noqa: BLE001  (a backend error is reported, not raised)
                problems.append(
                    {
                        "file": f"{finding['file']}:{finding['line']}",
                        "message": f"judge {backend.name}:{backend.model} failed: {exc}; "
                        "left for review",
                    }
                )
                continue
            verdict, reason = parse(answer)
            row = AuditJudgement(
                root=root_key(finding["root"]),
                file=finding["file"],
                task_id=finding["task_id"],
                title=finding["title"],
                verdict=verdict,
                reason=reason,
                role=settings.judge,
                backend=backend.name,
                model=backend.model,
                prompt_hash=digest,
                answer=answer[:MAX_ANSWER],
            )
            with db.session() as session:
                session.add(row)
        finding["judge"] = {
            "verdict": row.verdict,
            "reason": row.reason,
            "role": row.role,
            "backend": row.backend,
            "model": row.model,
            "prompt_hash": row.prompt_hash,
        }
        judged += 1
    return judged, problems


def _stored(db: Database, digest: str, model: str) -> AuditJudgement | None:
    with db.read_session() as session:
        return session.exec(
            select(AuditJudgement)
            .where(AuditJudgement.prompt_hash == digest, AuditJudgement.model == model)
            .order_by(col(AuditJudgement.id).desc())
        ).first()
