"""A generation batch for one type: plan the mix, collaborate per example, store what passes.

Examples are worked on in a thread pool sized by the roles' concurrency; each result is stored
(or counted as rejected) in its own transaction on this thread, so a kill loses at most the
examples in flight and the batch's counts always match the store.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from modelforge.contracts import Table
from modelforge.db import Database
from modelforge.examples import ExampleStore, NewExample
from modelforge.models import utcnow
from modelforge.modeltype import ModelType
from modelforge_generate import edge, mix
from modelforge_generate.collaborate import Result, collaborate
from modelforge_generate.contract import GENERATED_KEY
from modelforge_generate.roles import Roles
from modelforge_generate.settings import GenerateSettings


@dataclass
class BatchReport:
    batch_id: int
    requested: int
    accepted: int = 0
    duplicates: dict[str, int] = field(default_factory=lambda: {"exact": 0, "near": 0})
    rejected: dict[str, int] = field(default_factory=dict)
    attempts: int = 0
    stopped: bool = False
    mix: dict[str, Any] = field(default_factory=dict)
    used_mix: str = "weakness"  # the [generate] mix setting the batch ran with

    def as_dict(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "requested": self.requested,
            GENERATED_KEY: self.accepted,
            "attempts": self.attempts,
            "duplicates": self.duplicates,
            "rejected": dict(sorted(self.rejected.items())),
            "stopped": self.stopped,
            "used_mix": self.used_mix,
            "mix": self.mix,
        }


def run_batch(
    db: Database,
    model_type: ModelType,
    roles: Roles,
    config: GenerateSettings,
    n: int,
    *,
    cycle_id: int | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] = lambda done, total: None,
    weakness_table: Table | None = None,
    competence: edge.Competence | None = None,
) -> BatchReport:
    """Try until n examples are stored, the attempt budget is spent, or a stop is asked for.

    weakness_table is the table published under "weaknesses" (modelforge.contracts): the
    weakness mix leans toward its weak categories; without it the mix is uniform in weakness.
    competence (the champion's pass rates, read for `mix = "edge"`) replaces it: the mix leans
    to where the champion can learn; the edge mix without it is coverage alone."""
    store = ExampleStore(db)
    rng = random.Random(config.seed)
    levels = {c.name: c.levels for c in model_type.categories}
    stored = store.category_counts(model_type.name)
    budget = n * config.attempts_per_example
    slots, used_mix = mix.plan(
        db,
        model_type.name,
        levels,
        stored,
        budget,
        rng,
        floor=config.coverage_floor,
        weakness_weight=config.weakness_weight,
        weakness_table=weakness_table if config.mix == "weakness" else None,
        competence=competence,
    )
    weaknesses = sorted(mix.read_weaknesses(db, model_type.name, weakness_table) or {})
    used_mix["counts"] = mix.allocate(used_mix["shares"], n)  # what a full batch asks of each
    batch_id = store.start_batch(
        model_type.name, requested=n, mix=used_mix, roles=roles.describe(), cycle_id=cycle_id
    )
    report = BatchReport(batch_id, n, mix=used_mix, used_mix=config.mix)
    pending: dict[Future, dict[str, Any]] = {}
    queue = iter(slots)

    def submit(pool: ThreadPoolExecutor) -> bool:
        """Start one more example if the batch still has room for it."""
        room = report.accepted + len(pending) < n and len(pending) < roles.concurrency
        slot = next(queue, None) if room and not report.stopped else None
        if slot is None:
            return False
        category, difficulty = slot
        seed = rng.getrandbits(63)
        problem = model_type.generate_problem(category, difficulty, seed)
        future = pool.submit(collaborate, roles, problem, weaknesses, config.max_retries)
        pending[future] = {"seed": seed}
        return True

    with ThreadPoolExecutor(max_workers=roles.concurrency) as pool:
        while submit(pool):
            pass
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                meta = pending.pop(future)
                report.attempts += 1
                _record(store, model_type, roles, config, report, future.result(), meta["seed"])
                progress(report.accepted, n)
            report.stopped = report.stopped or should_stop()
            while submit(pool):
                pass
    store.finish_batch(batch_id, "interrupted" if report.stopped else "done")
    return report


def _record(
    store: ExampleStore,
    model_type: ModelType,
    roles: Roles,
    config: GenerateSettings,
    report: BatchReport,
    result: Result,
    seed: int,
) -> None:
    if result.trajectory is None:
        report.rejected[result.reason] = report.rejected.get(result.reason, 0) + 1
        store.count_rejection(report.batch_id, result.reason)
        return
    provenance = {
        "roles": roles.describe(),
        "model_type_version": model_type.version,
        "rules_version": model_type.rules.version,
        "seed": seed,
        "category": result.trajectory.problem.category,
        "difficulty": result.trajectory.problem.difficulty,
        "rounds": result.rounds,
        "generated_at": utcnow().isoformat(),
    }
    added = store.add(
        report.batch_id,
        NewExample(model_type.name, result.trajectory, provenance),
        config.near_duplicate_threshold,
    )
    if added.status == "stored":
        report.accepted += 1
    else:
        report.duplicates[added.status.removeprefix("duplicate_")] += 1
