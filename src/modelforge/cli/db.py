"""`modelforge db`: the schema's migrations."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option


@click.group("db")
def command() -> None:
    """Inspect or apply the database migrations (every command also migrates on first use)."""


@command.command("upgrade")
@click.pass_context
def upgrade(ctx: click.Context) -> None:
    """Apply every pending migration."""
    database = app_of(ctx).database
    database.upgrade()
    click.echo(f"{database.path}: at {', '.join(sorted(database.current()))}")


@command.command("current")
@json_option
@click.pass_context
def current(ctx: click.Context, as_json: bool) -> None:
    """Show the database's revision and the newest one available."""
    database = app_of(ctx).database
    data = {
        "database": str(database.path),
        "current": sorted(database.current()),
        "heads": sorted(database.heads()),
    }
    data["up_to_date"] = data["current"] == data["heads"]

    def render(d: dict) -> None:
        state = "up to date" if d["up_to_date"] else f"behind (newest: {', '.join(d['heads'])})"
        click.echo(f"{d['database']}: {', '.join(d['current']) or 'empty'} ({state})")

    emit(data, as_json, render)


@command.command("schema")
@click.pass_context
def schema(ctx: click.Context) -> None:
    """Print the schema (every table, column and index) as Markdown."""
    from modelforge.schema_doc import render

    click.echo(render(app_of(ctx).db), nl=False)
