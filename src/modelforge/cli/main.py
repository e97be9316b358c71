"""The command group: global options, plugin commands, and user errors as messages."""

from __future__ import annotations

import os
import sys

import click

from modelforge import __version__
from modelforge.app import App
from modelforge.errors import ModelforgeError
from modelforge.plugins import Plugins, collect, load_plugins


class ModelforgeGroup(click.Group):
    """Turns a ModelforgeError into `Error: ...` and exit status 1, never a traceback; a reader
    that stops early (`modelforge config show | head`) ends the command quietly, status 0."""

    def invoke(self, ctx: click.Context):
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here rather than at interpreter exit
            return result
        except ModelforgeError as exc:
            raise click.ClickException(str(exc)) from None
        except BrokenPipeError:
            discard_stdout()
            ctx.exit(0)


def discard_stdout() -> None:
    """Point stdout at /dev/null, so the flush at exit cannot fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (CliRunner)
        pass


def build_cli(plugins: Plugins) -> click.Group:
    """A fresh command group: the core commands plus whatever plugins add."""
    from modelforge.cli import (
        checklist,
        config_cmd,
        control,
        db,
        events,
        examples,
        init,
        plugins_cmd,
        run,
        status,
        tui,
    )

    @click.group(cls=ModelforgeGroup)
    @click.version_option(__version__, prog_name="modelforge")
    @click.option(
        "--home",
        type=click.Path(file_okay=False),
        help="Data directory (database, artifacts). Overrides MODELFORGE_HOME and the config file.",
    )
    @click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False),
        help="Config file. Overrides MODELFORGE_CONFIG; default <home>/config.toml, "
        "else the embedded default.",
    )
    @click.pass_context
    def cli(ctx: click.Context, home: str | None, config_path: str | None) -> None:
        """modelforge: train models with SRL then RLVR, from audit to serving.

        The lifecycle runs per model type (audit, generate, train_srl, train_rlvr,
        finetune_remote, evaluate, track, select); every stage is a plugin.
        """
        ctx.obj = App(plugins, home, config_path)

    for module in (
        run,
        status,
        checklist,
        plugins_cmd,
        db,
        init,
        config_cmd,
        events,
        examples,
        control,
        tui,
    ):
        cli.add_command(module.command)
    try:
        collect(plugins, "register_commands", cli=cli)
    except ModelforgeError as exc:
        click.echo(f"modelforge: {exc}", err=True)
    return cli


def warn_failures(plugins: Plugins) -> None:
    for failure in plugins.failures:
        click.echo(
            f"modelforge: plugin '{failure.name}' failed to load: {failure.error} "
            "(see `modelforge plugins`)",
            err=True,
        )


def main(argv: list[str] | None = None) -> None:
    plugins = load_plugins()
    warn_failures(plugins)
    build_cli(plugins).main(args=argv, prog_name="modelforge")


if __name__ == "__main__":
    sys.exit(main())
