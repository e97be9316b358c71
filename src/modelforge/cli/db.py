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
    """Show the database's revisions, the newest available and what is still to apply."""
    database = app_of(ctx).database
    pending = database.pending()
    data = {
        "database": str(database.path),
        "current": sorted(database.current()),
        "heads": sorted(database.heads()),
        "pending": pending,
        "up_to_date": not pending,
    }

    def render(d: dict) -> None:
        if d["up_to_date"]:
            state = "up to date"
        else:
            state = f"behind: {len(d['pending'])} to apply ({', '.join(d['pending'])})"
        click.echo(f"{d['database']}: {', '.join(d['current']) or 'empty'} ({state})")

    emit(data, as_json, render)


@command.command("schema")
@click.pass_context
def schema(ctx: click.Context) -> None:
    """Print the schema (every table, column and index) as Markdown."""
    from modelforge.schema_doc import render

    click.echo(render(app_of(ctx).db), nl=False)
