"""`modelforge init`: write a commented config.toml to edit."""

from __future__ import annotations

from pathlib import Path

import click

from modelforge.cli.output import app_of


@click.command("init")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_context
def command(ctx: click.Context, path: str | None, force: bool) -> None:
    """Write a commented config.toml (default: <home>/config.toml, where it is found)."""
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
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(bundled("config.toml").read_text(encoding="utf-8"), encoding="utf-8")
    temporary.replace(target)
    click.echo(f"wrote {target}")
