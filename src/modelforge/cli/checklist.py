"""`modelforge checklist`: the migration plan's validation checklist, from evidence."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option

MARKS = {"done": "[x]", "not done": "[ ]", "unknown": "[?]"}


def render(items: list[dict]) -> None:
    for item in items:
        click.echo(f"{MARKS[item['state']]} {item['title']}")
        click.echo(f"    {item['evidence']}")


@click.command("checklist")
@json_option
@click.option("--strict", is_flag=True, help="Exit 1 unless every item is done.")
@click.pass_context
def command(ctx: click.Context, as_json: bool, strict: bool) -> None:
    """Print the validation checklist, each item computed from the database's evidence."""
    from modelforge.checklist import as_dicts, compute

    names = sorted(ctx.find_root().command.commands)
    items = as_dicts(compute(app_of(ctx), names))
    emit(items, as_json, render)
    if strict and any(item["state"] != "done" for item in items):
        ctx.exit(1)
