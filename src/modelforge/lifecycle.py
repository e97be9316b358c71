"""The lifecycle runner: the stages in their fixed order, each recorded, resumable."""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from modelforge.artifacts import register_artifact
from modelforge.config import Config
from modelforge.db import Database
from modelforge.errors import ModelforgeError, StageInterrupted, StageSkipped
from modelforge.events import jsonable, record_event
from modelforge.models import Artifact, Cycle, StageRun, utcnow
from modelforge.plugins import Plugins, call
from modelforge.redact import redact

STAGES = (
    "audit",
    "generate",
    "train_srl",
    "train_rlvr",
    "finetune_remote",
    "evaluate",
    "track",
    "select",
)
FINISHED = ("done", "skipped")
PROGRESS_INTERVAL_S = 0.5  # progress writes are throttled; the last one always lands


class NotResumable(ModelforgeError):
    """A part of the lifecycle was asked for, but the type's unfinished cycle stopped before it."""


@dataclass
class StageContext:
    """What a stage plugin gets besides the model type's name."""

    db: Database
    config: Config
    plugins: Plugins
    cycle_id: int
    stage_run_id: int
    stage: str
    model_type: str
    should_stop: Callable[[], bool]

    _last_progress: float = 0.0

    @property
    def data_dir(self) -> Path:
        return self.config.data_dir

    @property
    def work_dir(self) -> Path:
        """A folder for this cycle's stage; kept across a resume so a stage can checkpoint."""
        folder = self.data_dir / "cycles" / str(self.cycle_id) / self.stage
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    @property
    def stop_requested(self) -> bool:
        """True once asked to stop or cancel: checkpoint, then raise StageInterrupted."""
        return self.should_stop()

    def progress(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_progress < PROGRESS_INTERVAL_S and done != total:
            return
        self._last_progress = now
        with self.db.session() as session:
            run = session.get(StageRun, self.stage_run_id)
            run.progress_done = done
            run.progress_total = total

    def event(self, kind: str, message: str, *, level: str = "info", **data: Any) -> None:
        record_event(
            self.db, kind, message, level=level, cycle_id=self.cycle_id, stage=self.stage, **data
        )

    def artifact(self, path: Path, kind: str, lineage: dict[str, Any]) -> Artifact:
        """Register a file this stage wrote; lineage names its inputs, cycle and stage."""
        lineage = {"cycle_id": self.cycle_id, "stage": self.stage, **lineage}
        return register_artifact(
            self.db,
            path,
            kind,
            lineage,
            model_type=self.model_type,
            cycle_id=self.cycle_id,
            stage_run_id=self.stage_run_id,
        )


class LifecycleRunner:
    """Runs cycles; whoever holds the data-directory lock is the only one that may."""

    def __init__(
        self,
        db: Database,
        config: Config,
        plugins: Plugins,
        stop_event: threading.Event | None = None,
    ):
        self.db = db
        self.config = config
        self.plugins = plugins
        self.stop_event = stop_event or threading.Event()
        self.cancel_event = threading.Event()  # cancels the running stage, not the daemon
        self.current: dict[str, Any] | None = None  # the stage running now, for control

    def should_stop(self) -> bool:
        return self.stop_event.is_set() or self.cancel_event.is_set()

    def recover(self) -> list[int]:
        """Mark cycles left `running` by a process that died as interrupted; return their ids."""
        with self.db.session() as session:
            stale_runs = session.exec(select(StageRun).where(StageRun.status == "running")).all()
            for run in stale_runs:
                run.status = "interrupted"
                run.error = "the process running this stage stopped without finishing it"
                run.finished_at = utcnow()
            stale = session.exec(select(Cycle).where(Cycle.status == "running")).all()
            for cycle in stale:
                cycle.status = "interrupted"
            ids = [cycle.id for cycle in stale]
        for cycle_id in ids:
            record_event(
                self.db,
                "cycle.interrupted",
                f"cycle {cycle_id} was left running by a process that stopped; it will resume",
                level="warning",
                cycle_id=cycle_id,
            )
        return ids

    def unfinished_cycle(self, model_type: str) -> Cycle | None:
        """The type's oldest cycle that did not finish (failed, interrupted, or left running),
        even behind newer finished ones: every unfinished cycle is resumed in its turn."""
        with self.db.session() as session:
            return session.exec(
                select(Cycle)
                .where(Cycle.model_type == model_type, Cycle.status != "done")
                .order_by(col(Cycle.id))
            ).first()

    def pending_stage(self, cycle_id: int) -> str | None:
        """Where a resume of the cycle starts: the first stage, from the first one the cycle
        attempted on, that is not done or skipped (a cycle opened by `modelforge train` starts
        at train_srl). None when the cycle attempted no stage yet."""
        with self.db.session() as session:
            runs = session.exec(
                select(StageRun).where(StageRun.cycle_id == cycle_id).order_by(col(StageRun.id))
            ).all()
        if not runs:
            return None
        last = {run.stage: run.status for run in runs}
        start = min(STAGES.index(stage) for stage in last if stage in STAGES)
        return next((stage for stage in STAGES[start:] if last.get(stage) not in FINISHED), None)

    def cycle_to_resume(self, model_type: str, stages: tuple[str, ...] = STAGES) -> Cycle | None:
        """The unfinished cycle that running `stages` of model_type resumes, or None when a new
        cycle is due. `run` (every stage) always resumes one; a subset (`modelforge train`)
        resumes one whose pending stage is among its stages, leaves one whose pending stages
        come later to the next `run`, and refuses one that stopped earlier (the fixed order)."""
        cycle = self.unfinished_cycle(model_type)
        if cycle is None:
            return None
        pending = self.pending_stage(cycle.id)
        if pending is None or pending in stages:
            return cycle
        if STAGES.index(pending) < STAGES.index(stages[0]):
            raise NotResumable(
                f"cycle {cycle.id} of {model_type} is unfinished at {pending}, before "
                f"{stages[0]}: `modelforge run --once --type {model_type}` resumes it there"
            )
        return None

    def run_cycle(
        self,
        model_type: str,
        trigger: str = "manual",
        stages: tuple[str, ...] = STAGES,
        *,
        cycle_id: int | None = None,
    ) -> Cycle:
        """Resume the type's unfinished cycle at its first unfinished stage, or start one, and
        run `stages` of it in order (every stage unless a caller such as `modelforge train`
        runs a part). cycle_id names the cycle to run in instead of choosing one."""
        if cycle_id is None:
            resumed = self.cycle_to_resume(model_type, stages)
            cycle_id = resumed.id if resumed is not None else None
        with self.db.session() as session:
            if cycle_id is None:
                cycle = Cycle(model_type=model_type, trigger=trigger)
                session.add(cycle)
                session.flush()
                verb, was = "started", None
            else:
                cycle = session.get(Cycle, cycle_id)
                verb, was = "resumed", cycle.status
                cycle.status = "running"
            cycle_id, opened_by = cycle.id, cycle.trigger
        record_event(
            self.db, f"cycle.{verb}", f"cycle {cycle_id} for {model_type} {verb}", cycle_id=cycle_id
        )
        self._announce(cycle_id, model_type)

        pending = self.pending_stage(cycle_id) if verb == "resumed" else None
        todo = stages[stages.index(pending) :] if pending in stages else stages
        status = "done"
        try:
            for stage in todo:
                if self._finished(cycle_id, stage):
                    continue
                if self.should_stop():
                    status = "interrupted"
                    break
                self.current = {"model_type": model_type, "cycle_id": cycle_id, "stage": stage}
                outcome = self.run_stage(cycle_id, stage, model_type)
                if outcome in ("failed", "interrupted"):
                    status = outcome
                    break
        finally:
            self.current = None
            self.cancel_event.clear()
        rest = STAGES[STAGES.index(stages[-1]) + 1 :]
        if status == "done" and rest and trigger != opened_by and was != "done":
            # a part of someone else's cycle: the rest of it resumes on the next run
            return self._close_cycle(
                cycle_id,
                model_type,
                "interrupted",
                f"{', '.join(stages)} finished; "
                f"{rest[0]} and the rest resume on the next `modelforge run`",
            )
        return self._close_cycle(cycle_id, model_type, status)

    def _announce(self, cycle_id: int, model_type: str) -> None:
        """Tell plugins a cycle is starting; their failure is recorded, never fatal."""
        for impl in self.plugins.implementations("cycle_starting"):
            try:
                call(
                    self.plugins,
                    "cycle_starting",
                    impl,
                    model_type=model_type,
                    cycle_id=cycle_id,
                    db=self.db,
                    config=self.config,
                    plugins=self.plugins,
                )
            except Exception as exc:  # noqa: BLE001 (recorded, whatever a plugin raises)
                record_event(
                    self.db,
                    "cycle.hook_failed",
                    f"plugin '{impl.plugin_name}' raised {type(exc).__name__} in cycle_starting: {exc}",
                    level="error",
                    cycle_id=cycle_id,
                    traceback=traceback.format_exc(),
                )

    def _finished(self, cycle_id: int, stage: str) -> bool:
        with self.db.session() as session:
            last = session.exec(
                select(StageRun)
                .where(StageRun.cycle_id == cycle_id, StageRun.stage == stage)
                .order_by(col(StageRun.id).desc())
            ).first()
        return last is not None and last.status in FINISHED

    def _close_cycle(
        self, cycle_id: int, model_type: str, status: str, why: str | None = None
    ) -> Cycle:
        with self.db.session() as session:
            cycle = session.get(Cycle, cycle_id)
            cycle.status = status
            cycle.finished_at = utcnow() if status == "done" else None
        level = "info" if status == "done" else ("warning" if status == "interrupted" else "error")
        record_event(
            self.db,
            f"cycle.{status}",
            f"cycle {cycle_id} for {model_type}: {status}" + (f": {why}" if why else ""),
            level=level,
            cycle_id=cycle_id,
        )
        return cycle

    def run_stage(self, cycle_id: int, stage: str, model_type: str) -> str:
        """Run one stage of a cycle now and record it; returns its status."""
        with self.db.session() as session:
            run = StageRun(cycle_id=cycle_id, stage=stage)
            session.add(run)
            session.flush()
            run_id = run.id
        started = time.monotonic()
        impls = self.plugins.implementations(stage)
        ctx = StageContext(
            self.db,
            self.config,
            self.plugins,
            cycle_id,
            run_id,
            stage,
            model_type,
            self.should_stop,
        )
        fields: dict[str, Any] = {"plugins": ",".join(impl.plugin_name for impl in impls) or None}

        if not impls and self.plugins.failures:
            names = ", ".join(f"'{f.name}'" for f in self.plugins.failures)
            fields.update(
                status="failed",
                error=f"no plugin ran {stage}: plugin {names} failed to load",
                traceback="\n".join(f.traceback for f in self.plugins.failures),
            )
        elif not impls:
            fields.update(status="skipped", detail="no plugin")
        else:
            fields.update(self._call_plugins(impls, ctx, model_type))

        fields["finished_at"] = utcnow()
        fields["duration_s"] = round(time.monotonic() - started, 3)
        with self.db.session() as session:
            run = session.get(StageRun, run_id)
            for name, value in fields.items():
                setattr(run, name, value)
        self._record_stage_event(ctx, fields)
        return fields["status"]

    def _call_plugins(self, impls, ctx: StageContext, model_type: str) -> dict[str, Any]:
        results: dict[str, Any] = {}
        skipped: dict[str, str] = {}
        for impl in impls:
            try:
                results[impl.plugin_name] = call(
                    self.plugins, ctx.stage, impl, model_type=model_type, ctx=ctx
                )
            except StageSkipped as reason:
                skipped[impl.plugin_name] = str(reason) or "nothing to do"
            except StageInterrupted as reason:
                return {"status": "interrupted", "error": str(reason) or "stopped on request"}
            except BaseException as exc:  # noqa: BLE001 (a stage's failure, recorded and isolated)
                failure = {
                    "status": "failed",
                    "error": redact(
                        f"plugin '{impl.plugin_name}' raised {type(exc).__name__}: {exc}"
                    ),
                    "traceback": redact(traceback.format_exc()),
                }
                if not isinstance(exc, Exception):  # KeyboardInterrupt, SystemExit: record, then go
                    failure["status"] = "interrupted"
                    self._store_and_reraise(ctx, failure, exc)
                return failure
        if not results:
            detail = "; ".join(f"{name}: {why}" for name, why in skipped.items())
            return {"status": "skipped", "detail": detail}
        return {"status": "done", "result": jsonable(results)}

    def _store_and_reraise(
        self, ctx: StageContext, failure: dict[str, Any], exc: BaseException
    ) -> None:
        with self.db.session() as session:
            run = session.get(StageRun, ctx.stage_run_id)
            run.status = failure["status"]
            run.error = failure["error"]
            run.finished_at = utcnow()
            cycle = session.get(Cycle, ctx.cycle_id)
            cycle.status = "interrupted"
        raise exc

    def _record_stage_event(self, ctx: StageContext, fields: dict[str, Any]) -> None:
        status = fields["status"]
        message = f"{ctx.stage} for {ctx.model_type}: {status}"
        if fields.get("detail"):
            message += f": {fields['detail']}"
        if fields.get("error"):
            message += f": {fields['error']}"
        level = {"failed": "error", "interrupted": "warning"}.get(status, "info")
        ctx.event(f"stage.{status}", message, level=level, duration_s=fields["duration_s"])
