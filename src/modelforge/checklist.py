"""The migration plan's validation checklist, each item computed from recorded evidence.

What it reads of the stage results is named by the producers' contracts (see
modelforge.contracts and docs/plugins.md), by topic: `unmarked_deprecate` (audit),
`examples_generated` (generate), `provider_status` (finetune_remote: {provider: status}),
`weaknesses` (track) and `selection_decisions` (select: each decision with `reasons`). A topic
no plugin publishes leaves its item "not done", saying which.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from modelforge.app import App
from modelforge.contracts import Published, published
from modelforge.lifecycle import STAGES
from modelforge.models import Cycle, Event, StageRun
from modelforge.plugins import HookFailure, first_answer
from modelforge.status import latest_stage_runs

PAID_PROVIDERS = ("gemini", "openai", "anthropic")


@dataclass
class Item:
    id: str
    title: str
    state: str  # "done", "not done" or "unknown"
    evidence: str


def plugin_results(run: StageRun) -> list[dict[str, Any]]:
    """The per-plugin results of a done stage run that are dicts."""
    return [value for value in (run.result or {}).values() if isinstance(value, dict)]


class Evidence:
    """Queries over the stage runs and events that the items share."""

    def __init__(self, session, contracts: Published):
        self.session = session
        self.contracts = contracts

    def reported(self, run: StageRun, topic: str) -> list[Any]:
        """The values its plugins reported in a done run under a published result key."""
        key = self.contracts.result_key(topic)
        return [r[key] for r in plugin_results(run) if key is not None and key in r]

    def unpublished(self, topic: str) -> str | None:
        """Why a topic cannot be read: no loaded plugin publishes it."""
        if self.contracts.result_key(topic) is None:
            return f"no loaded plugin publishes the result '{topic}'"
        return None

    def done_runs(self, stage: str, model_type: str | None = None) -> list[StageRun]:
        query = select(StageRun).where(StageRun.stage == stage, StageRun.status == "done")
        if model_type is not None:
            query = query.join(Cycle, Cycle.id == StageRun.cycle_id).where(
                Cycle.model_type == model_type
            )
        return list(self.session.exec(query.order_by(col(StageRun.id))).all())

    def last_run(self, stage: str) -> StageRun | None:
        return self.session.exec(
            select(StageRun).where(StageRun.stage == stage).order_by(col(StageRun.id).desc())
        ).first()

    def last_word(self, stage: str) -> str:
        run = self.last_run(stage)
        if run is None:
            return "never ran"
        return f"last {run.status}" + (f": {run.detail}" if run.detail else "")


def audit_item(ev: Evidence) -> Item:
    title = "All old training tasks marked deprecated"
    runs = ev.done_runs("audit")
    if not runs:
        return Item(
            "audit", title, "not done", f"no audit stage has completed ({ev.last_word('audit')})"
        )
    counts = [n for n in ev.reported(runs[-1], "unmarked_deprecate") if isinstance(n, int)]
    if not counts:
        why = ev.unpublished("unmarked_deprecate") or "does not report unmarked_deprecate"
        return Item("audit", title, "unknown", f"audit run {runs[-1].id}: {why}")
    left = sum(counts)
    state = "done" if left == 0 else "not done"
    return Item(
        "audit", title, state, f"audit run {runs[-1].id}: {left} deprecated task(s) not yet marked"
    )


def stages_item(ev: Evidence) -> Item:
    missing = [f"{stage} ({ev.last_word(stage)})" for stage in STAGES if not ev.done_runs(stage)]
    title = "All SRL→RLVR stages implemented"
    if missing:
        return Item("stages", title, "not done", "no completed run of: " + ", ".join(missing))
    return Item(
        "stages", title, "done", f"every one of the {len(STAGES)} stages has a completed run"
    )


def trained_item(ev: Evidence, types: list[str]) -> Item:
    title = "Every configured model type trained through SRL→RLVR"
    if not types:
        return Item("trained", title, "not done", "no model type is enabled in the configuration")
    untrained = []
    for model_type in types:
        srl = {run.cycle_id for run in ev.done_runs("train_srl", model_type)}
        rlvr = {run.cycle_id for run in ev.done_runs("train_rlvr", model_type)}
        if not srl & rlvr:
            untrained.append(model_type)
    if untrained:
        return Item(
            "trained",
            title,
            "not done",
            "no cycle with both train_srl and train_rlvr done for: " + ", ".join(untrained),
        )
    return Item(
        "trained",
        title,
        "done",
        f"a cycle with train_srl then train_rlvr done for each of {', '.join(types)}",
    )


def generation_item(ev: Evidence, types: list[str]) -> Item:
    title = "Dynamic example generation working (never static)"
    short = []
    for model_type in types:
        fresh = [
            run
            for run in ev.done_runs("generate", model_type)
            if any(isinstance(n, int) and n > 0 for n in ev.reported(run, "examples_generated"))
        ]
        if len({run.cycle_id for run in fresh}) < 2:
            short.append(f"{model_type} ({len(fresh)})")
    if not types or short:
        detail = ev.unpublished("examples_generated") or ", ".join(short) or "no model type enabled"
        return Item(
            "generation",
            title,
            "not done",
            f"fewer than two cycles generated new examples: {detail}; {ev.last_word('generate')}",
        )
    return Item(
        "generation",
        title,
        "done",
        "every enabled type generated new examples in at least two cycles",
    )


def selection_item(ev: Evidence) -> Item:
    title = "Dynamic model selection working (not arbitrary)"
    for run in reversed(ev.done_runs("select")):
        decisions = [
            d
            for found in ev.reported(run, "selection_decisions")
            for d in found or []
            if isinstance(d, dict)
        ]
        if decisions and all(d.get("reasons") for d in decisions):
            return Item(
                "selection",
                title,
                "done",
                f"select run {run.id}: {len(decisions)} decision(s), each with reasons",
            )
    return Item(
        "selection",
        title,
        "not done",
        ev.unpublished("selection_decisions")
        or f"no select run recorded decisions with reasons ({ev.last_word('select')})",
    )


def paid_item(ev: Evidence) -> Item:
    title = "Paid fine-tuning working (Gemini, OpenAI, Anthropic)"
    succeeded = set()
    for run in ev.done_runs("finetune_remote"):
        for providers in ev.reported(run, "provider_status"):
            succeeded |= {name for name, state in (providers or {}).items() if state == "succeeded"}
    missing = [name for name in PAID_PROVIDERS if name not in succeeded]
    if missing:
        return Item(
            "paid",
            title,
            "not done",
            ev.unpublished("provider_status")
            or f"no succeeded job for: {', '.join(missing)} ({ev.last_word('finetune_remote')})",
        )
    return Item(
        "paid",
        title,
        "done",
        "a succeeded fine-tuning job for each of " + ", ".join(PAID_PROVIDERS),
    )


def tracking_item(ev: Evidence) -> Item:
    title = "Performance tracking with weakness detection working"
    evaluated = ev.done_runs("evaluate")
    tracked = [run for run in ev.done_runs("track") if ev.reported(run, "weaknesses")]
    if evaluated and tracked:
        evidence = (
            f"{len(evaluated)} evaluate run(s); track run {tracked[-1].id} reported weaknesses"
        )
        return Item("tracking", title, "done", evidence)
    evidence = (
        f"evaluate {len(evaluated)} done ({ev.last_word('evaluate')}); "
        f"track with weaknesses {len(tracked)} done ({ev.last_word('track')})"
    )
    return Item("tracking", title, "not done", evidence)


def integration_item(ev: Evidence) -> Item:
    title = "Integration validated"
    cycles = ev.session.exec(
        select(Cycle).where(Cycle.status == "done").order_by(col(Cycle.id).desc())
    ).all()
    for cycle in cycles:
        runs = latest_stage_runs(ev.session, cycle.id)
        if len(runs) == len(STAGES) and all(run.status == "done" for run in runs):
            return Item(
                "integration",
                title,
                "done",
                f"cycle {cycle.id} ({cycle.model_type}) ran every stage to done",
            )
    return Item(
        "integration",
        title,
        "not done",
        f"no cycle has every stage done ({len(cycles)} finished cycle(s) had stages skipped)",
    )


def tests_item(ev: Evidence) -> Item:
    title = "Tests passing"
    event = ev.session.exec(
        select(Event).where(Event.kind == "tests.result").order_by(col(Event.id).desc())
    ).first()
    if event is None:
        return Item(
            "tests",
            title,
            "unknown",
            "no test run recorded (run the tests with MODELFORGE_RECORD_TESTS=1)",
        )
    data = event.data or {}
    passed, failed = data.get("passed", 0), data.get("failed", 0)
    state = "done" if passed and not failed else "not done"
    return Item(
        "tests",
        title,
        state,
        f"test run at {event.ts:%Y-%m-%d %H:%M}Z: {passed} passed, {failed} failed",
    )


def docs_item(command_names: list[str]) -> Item:
    title = "Documentation updated"
    docs = Path(__file__).resolve().parents[2] / "docs" / "commands"
    if not docs.is_dir():
        return Item(
            "docs", title, "unknown", "no docs/commands folder beside this installation to check"
        )
    missing = [name for name in command_names if not (docs / f"{name}.md").exists()]
    if missing:
        return Item("docs", title, "not done", f"no page in {docs} for: {', '.join(missing)}")
    return Item(
        "docs", title, "done", f"every one of {len(command_names)} commands has a page in {docs}"
    )


def compute(app: App, command_names: list[str]) -> list[Item]:
    """Every item from the core's evidence, replaced where a plugin has better evidence."""
    types = app.config.enabled_types
    with app.db.read_session() as session:
        ev = Evidence(session, published(app.plugins))
        items = [
            audit_item(ev),
            stages_item(ev),
            trained_item(ev, types),
            generation_item(ev, types),
            selection_item(ev),
            paid_item(ev),
            tracking_item(ev),
            integration_item(ev),
            tests_item(ev),
            docs_item(command_names),
        ]
    for item in items:
        failures: list[HookFailure] = []
        answer = first_answer(
            app.plugins, "checklist_evidence", failures, item=item.id, db=app.db, config=app.config
        )
        if answer is not None:
            item.state, item.evidence = answer
        elif failures:  # the core's evidence stands, but it may not be the whole story
            item.state = "unknown"
            item.evidence += "; " + "; ".join(map(str, failures))
    return items


def as_dicts(items: list[Item]) -> list[dict[str, str]]:
    return [asdict(item) for item in items]
