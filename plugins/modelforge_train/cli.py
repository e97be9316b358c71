"""`modelforge train`: run SRL, RLVR or both for one model type outside the daemon."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option

STAGES = {"srl": ("train_srl",), "rlvr": ("train_rlvr",), "both": ("train_srl", "train_rlvr")}


@click.command("train")
@click.option("--type", "model_type", required=True, metavar="TYPE", help="The model type.")
@click.option(
    "--stage",
    type=click.Choice(list(STAGES)),
    default="both",
    show_default=True,
    help="rlvr alone continues the newest cycle that has an SRL result.",
)
@click.option(
    "--base",
    metavar="MODEL",
    help="`embedded`, an imported base's name (`modelforge base list`), a Hugging Face id or a path.",
)
@click.option("--max-steps", type=click.IntRange(min=0), help="Steps per stage, for a short run.")
@click.option(
    "--from",
    "from_artifact",
    metavar="ARTIFACT",
    help="Start SRL from this artifact id or registered model name instead of the champion.",
)
@click.option(
    "--launcher",
    type=click.Choice(["local", "accelerate"]),
    help="accelerate: run through `accelerate launch` (config [train] accelerate_config).",
)
@json_option
@click.pass_context
def command(ctx, model_type, stage, base, max_steps, from_artifact, launcher, as_json):
    """Train TYPE with SRL then RLVR on unserved examples, registering the results.

    The type's unfinished cycle, if any, is resumed (its drawn examples, from its last
    checkpoint). Only one process may run per data directory. SIGTERM or Ctrl-C stops at the
    next step with a checkpoint (the stage is recorded interrupted; the next run resumes it).
    """
    import os
    import subprocess
    import threading

    from modelforge.daemon import stop_on_signals
    from modelforge.errors import ModelforgeError
    from modelforge_train import ranks

    app = app_of(ctx)
    settings = app.config.section("train")
    if model_type not in app.config.types:
        raise ModelforgeError(f"model type '{model_type}' is not in the config's [types] tables")
    start = artifact_of(app.db, model_type, from_artifact) if from_artifact else None
    with data_dir_lock(app.config.data_dir):
        if (launcher or settings.launcher) == "accelerate":
            from modelforge_train.launch import accelerate_command

            argv = accelerate_command(
                model_type,
                stage,
                num_processes=settings.num_processes,
                config_file=settings.accelerate_config,
                base=base,
                max_steps=max_steps,
                from_artifact=start,
            )
            env = {**os.environ, LOCK_HELD_BY: str(os.getpid())}  # the ranks run under our lock
            with progress_bar(app.db, model_type):
                raise SystemExit(subprocess.call(argv, env=env))
        from modelforge_train.direct_run import run_stages

        stop = threading.Event()
        with stop_on_signals(stop), progress_bar(app.db, model_type):
            results = run_stages(
                app,
                model_type,
                STAGES[stage],
                base=base,
                max_steps=max_steps,
                from_artifact=start,
                stop_event=stop,
            )
    failed = False
    if results is not None:  # None: a rank other than the main one, which reports
        emit(results, as_json, render)
        failed = any(r["status"] not in ("done", "skipped") for r in results)
    if ranks.several():
        ranks.leave(int(failed))
    if failed:
        raise SystemExit(1)


def artifact_of(db, model_type: str, named: str) -> int:
    """The artifact id `--from` names: an id, or a registered model's name."""
    from modelforge.errors import ModelforgeError
    from modelforge.models import Artifact
    from modelforge.registry import get_model

    if named.isdigit():
        with db.session() as session:
            artifact = session.get(Artifact, int(named))
        found = artifact.id if artifact and artifact.model_type == model_type else None
    else:
        entry = get_model(db, named)
        found = entry.artifact_id if entry and entry.model_type == model_type else None
    if found is None:
        raise ModelforgeError(
            f"--from {named}: no artifact of '{model_type}' by that id or model name "
            "(`modelforge models list --type " + model_type + "`)"
        )
    return found


LOCK_HELD_BY = "MODELFORGE_TRAIN_LOCK_PID"
BAR_POLL_S = 0.5


def progress_bar(db, model_type: str, stream=None):
    """On a terminal, a progress bar for the type's running stage (pre-training the embedded
    base, then each training stage's steps), read from the numbers `modelforge status` shows;
    elsewhere, and in the ranks of `--launcher accelerate` (their launcher shows it), nothing."""
    import os
    import sys
    from contextlib import nullcontext

    stream = stream if stream is not None else sys.stderr
    isatty = getattr(stream, "isatty", None)
    if os.environ.get(LOCK_HELD_BY) or not (isatty and isatty()):
        return nullcontext()
    return _ProgressBar(db, model_type, stream)


class _ProgressBar:
    def __init__(self, db, model_type: str, stream) -> None:
        import threading

        self.db, self.model_type, self.stream = db, model_type, stream
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._follow, name="train-progress", daemon=True)
        self.bar = None
        self.shown: tuple | None = None

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.done.set()
        self.thread.join(timeout=5)
        self._update()  # the last figures land
        if self.bar is not None:
            self.bar.close()

    def _follow(self) -> None:
        while not self.done.wait(BAR_POLL_S):
            try:
                self._update()
            except Exception:  # noqa: BLE001 - a bar must never stop training
                return

    def _running(self):
        from sqlmodel import col, select

        from modelforge.models import Cycle, StageRun

        with self.db.session() as session:
            return session.exec(
                select(StageRun)
                .join(Cycle, col(Cycle.id) == col(StageRun.cycle_id))
                .where(Cycle.model_type == self.model_type, StageRun.status == "running")
                .order_by(col(StageRun.id).desc())
            ).first()

    def _update(self) -> None:
        from tqdm import tqdm

        run = self._running()
        if run is None or not run.progress_total:
            return
        key = (run.id, run.progress_total)
        if key != self.shown:  # a new stage, or pre-training done and the steps begun
            if self.bar is not None:
                self.bar.close()
            self.bar = tqdm(total=run.progress_total, desc=run.stage, file=self.stream)
            self.shown = key
        self.bar.n = run.progress_done
        self.bar.refresh()


def data_dir_lock(data_dir):
    """The data directory's runner lock; a rank under `--launcher accelerate` runs under its
    launcher's, which is still held by that launcher."""
    import os
    from contextlib import nullcontext

    from modelforge.lock import DataDirLock, holder

    launcher = os.environ.get(LOCK_HELD_BY, "")
    if launcher.isdigit() and holder(data_dir) == int(launcher):
        return nullcontext()
    return DataDirLock(data_dir, "train")


def render(results: list[dict]) -> None:
    for result in results:
        line = f"{result['stage']}: {result['status']}"
        if result.get("detail") or result.get("error"):
            line += f" ({result.get('detail') or result.get('error')})"
        click.echo(line)
        for summary in (result.get("result") or {}).values():
            held = summary.get("metrics", {}).get("held_out_after", {})
            click.echo(
                f"  artifact {summary['artifact_id']} at {summary['path']}; "
                f"held-out pass rate {held.get('overall')}"
            )
