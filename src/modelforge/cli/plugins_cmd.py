"""`modelforge plugins`: what is loaded, from where, implementing which hooks."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option


def render(rows: list[dict]) -> None:
    if not rows:
        click.echo("no plugins loaded")
    for row in rows:
        if row.get("error"):
            click.echo(f"{row['name']}  FAILED TO LOAD  {row['error']}")
            continue
        version = f" {row['version']}" if row["version"] else ""
        click.echo(
            f"{row['name']}{version}  ({row['source']})  hooks: {', '.join(row['hooks']) or '-'}"
        )


@click.command("plugins")
@json_option
@click.pass_context
def command(ctx: click.Context, as_json: bool) -> None:
    """List plugins: name, version, source (first-party or entry point) and hooks."""
    plugins = app_of(ctx).plugins
    rows = [
        {
            "name": info.name,
            "version": info.version,
            "source": info.source,
            "hooks": plugins.hooks_of(info.name),
        }
        for info in sorted(plugins.info.values(), key=lambda info: info.name)
    ]
    rows += [
        {
            "name": f.name,
            "version": None,
            "source": "entry point",
            "hooks": [],
            "error": f.error,
            "traceback": f.traceback,
        }
        for f in plugins.failures
    ]
    emit(rows, as_json, render)
