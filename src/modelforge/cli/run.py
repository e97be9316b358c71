"""`modelforge run`: the daemon, or one cycle per enabled model type with --once."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from modelforge.cli.output import app_of
from modelforge.errors import ModelforgeError


@contextmanager
def logging_to(level: str, log_file: Path) -> Iterator[None]:
    """Log to stderr and to the data directory's log file while the command runs."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("modelforge")
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers = [logging.StreamHandler(sys.stderr), logging.FileHandler(log_file)]
    for handler in handlers:
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    previous = logger.level
    logger.setLevel(level)
    try:
        yield
    finally:
        logger.setLevel(previous)
        for handler in handlers:
            logger.removeHandler(handler)
            handler.close()


@click.command("run")
@click.option(
    "--once", is_flag=True, help="Run one full cycle for every enabled model type, then exit."
)
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only this model type (repeatable). Default: every enabled type.",
)
@click.pass_context
def command(ctx: click.Context, once: bool, types: tuple[str, ...]) -> None:
    """Run the lifecycle: as a daemon on each type's schedule, or once with --once.

    An interrupted cycle (Ctrl-C, SIGTERM, a crash) resumes at its first unfinished stage
    the next time either form runs. Only one process may run per data directory.
    Exit status with --once: 0 when every cycle finished, 1 when one failed or was
    interrupted.
    """
    import threading

    from modelforge.daemon import serve, stop_on_signals
    from modelforge.events import record_event
    from modelforge.lifecycle import LifecycleRunner
    from modelforge.lock import DataDirLock
    from modelforge.plugins import model_types

    app = app_of(ctx)
    config = app.config
    selected = list(types) or config.enabled_types
    unknown = [name for name in selected if name not in config.types]
    if unknown:
        raise click.UsageError(f"model type(s) not in the configuration: {', '.join(unknown)}")
    if not selected:
        raise ModelforgeError(
            "no model type is enabled: enable one under [types.NAME] in the config"
        )

    log_file = config.data_dir / "logs" / "modelforge.log"
    lock = DataDirLock(config.data_dir, "run --once" if once else "daemon")
    with logging_to(config.section("core").log_level, log_file), lock:
        runner = LifecycleRunner(app.db, config, app.plugins, threading.Event())
        runner.recover()
        registered = model_types(app.plugins)
        for name in selected:
            if name not in registered:
                record_event(
                    app.db,
                    "type.unregistered",
                    f"model type '{name}' is configured but no plugin registers it",
                    level="warning",
                )
        with stop_on_signals(runner.stop_event):
            if not once:
                click.echo(
                    f"modelforge daemon on {config.data_dir} for: {', '.join(selected)}", err=True
                )
                serve(runner, selected)
                return
            finished, cycles = run_each(runner, selected)
        show_seconds(app.db, cycles)
    if not finished:
        ctx.exit(1)


def run_each(runner, types: list[str]) -> tuple[bool, list[tuple[str, int]]]:
    """One cycle per type, in order: (every cycle finished, the (type, cycle id) of each)."""
    finished, cycles = True, []
    for name in types:
        cycle = runner.run_cycle(name, trigger="once")
        cycles.append((name, cycle.id))
        click.echo(f"cycle {cycle.id} for {name}: {cycle.status}")
        finished = finished and cycle.status == "done"
        if runner.stop_event.is_set():
            return False, cycles
    return finished, cycles


def show_seconds(db, cycles: list[tuple[str, int]]) -> None:
    """What each cycle cost, per stage, after the cycles' own lines."""
    from modelforge.cli.seconds_table import render, stage_seconds

    if not cycles:
        return
    click.echo("\nseconds per type and stage:")
    for line in render(stage_seconds(db, cycles)):
        click.echo(line)
