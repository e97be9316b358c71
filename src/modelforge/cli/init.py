"""`modelforge init`: write a commented config.toml to edit."""

from __future__ import annotations

from pathlib import Path

import click

from modelforge.cli.output import app_of


@click.command("init")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.option(
    "--minimal",
    is_flag=True,
    help="Write the short embedded default (core, daemon, model types) instead of every key.",
)
@click.pass_context
def command(ctx: click.Context, path: str | None, force: bool, minimal: bool) -> None:
    """Write a config.toml with every key of every loaded plugin, its default and what it does
    (default path: <home>/config.toml, where it is found)."""
    from modelforge.artifacts import atomic_write_text
    from modelforge.config import DEFAULT_HOME, resolve_home
    from modelforge.resources import bundled

    app = app_of(ctx)
    if path:
        target = Path(path)
    else:
        home, _ = resolve_home(app.home)
        target = (home or DEFAULT_HOME.expanduser()) / "config.toml"
    if target.exists() and not force:
        raise click.ClickException(f"{target} exists; pass --force to overwrite it")
    if minimal:
        text = bundled("config.toml").read_text(encoding="utf-8")
    else:
        from modelforge.config_template import render
        from modelforge.plugins import config_tables, model_types

        text = render(config_tables(app.plugins), sorted(model_types(app.plugins)))
    atomic_write_text(target, text, replace_file=force)
    click.echo(f"wrote {target}")
