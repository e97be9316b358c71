"""`modelforge run`: the daemon, or one cycle per enabled model type with --once."""

from __future__ import annotations

import logging
import sys

import click

from modelforge.cli.output import app_of
from modelforge.errors import ModelforgeError


def setup_logging(level: str, log_file) -> None:
    """Log to stderr and to the data directory's log file (replacing an earlier setup)."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("modelforge")
    for handler in [h for h in logger.handlers if getattr(h, "modelforge_cli", False)]:
        logger.removeHandler(handler)
        handler.close()
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in (logging.StreamHandler(sys.stderr), logging.FileHandler(log_file)):
        handler.modelforge_cli = True
        handler.setFormatter(formatter)
        logger.addHandler(handler)
    logger.setLevel(level)


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

    from modelforge.daemon import install_signal_handlers, serve
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

    setup_logging(config.section("core").log_level, config.data_dir / "logs" / "modelforge.log")
    stop = threading.Event()
    with DataDirLock(config.data_dir):
        runner = LifecycleRunner(app.db, config, app.plugins, stop)
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
        install_signal_handlers(
            stop,
            lambda name: click.echo(
                f"modelforge: {name} received, stopping after this step", err=True
            ),
        )
        if not once:
            click.echo(
                f"modelforge daemon on {config.data_dir} for: {', '.join(selected)}", err=True
            )
            serve(runner, selected)
            return
        failed = False
        for name in selected:
            cycle = runner.run_cycle(name, trigger="once")
            click.echo(f"cycle {cycle.id} for {name}: {cycle.status}")
            failed = failed or cycle.status != "done"
            if stop.is_set():
                break
    if failed:
        ctx.exit(1)
