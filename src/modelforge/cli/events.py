"""`modelforge events`: the append-only event log."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option


@click.command("events")
@json_option
@click.option(
    "--limit",
    default=50,
    show_default=True,
    type=click.IntRange(min=1),
    help="How many, newest last.",
)
@click.option("--cycle", "cycle_id", type=int, help="Only events of this cycle.")
@click.option("--kind", help="Only events whose kind starts with this (e.g. stage.).")
@click.pass_context
def command(
    ctx: click.Context, as_json: bool, limit: int, cycle_id: int | None, kind: str | None
) -> None:
    """Show the newest events: cycles started and finished, stages, warnings, errors."""
    from sqlmodel import col, select

    from modelforge.errors import ModelforgeError
    from modelforge.models import Cycle, Event
    from modelforge.status import iso

    query = select(Event).order_by(col(Event.id).desc()).limit(limit)
    if cycle_id is not None:
        query = query.where(Event.cycle_id == cycle_id)
    if kind:
        query = query.where(col(Event.kind).startswith(kind))
    with app_of(ctx).db.read_session() as session:
        if cycle_id is not None and session.get(Cycle, cycle_id) is None:
            raise ModelforgeError(f"no cycle {cycle_id} (`modelforge status` shows the cycles)")
        rows = [
            {
                "id": e.id,
                "ts": iso(e.ts),
                "level": e.level,
                "kind": e.kind,
                "message": e.message,
                "cycle_id": e.cycle_id,
                "stage": e.stage,
                "data": e.data,
            }
            for e in reversed(session.exec(query).all())
        ]

    def render(items: list[dict]) -> None:
        for e in items:
            click.echo(f"{e['ts']} {e['level']:<7} {e['kind']:<18} {e['message']}")

    emit(rows, as_json, render)
