"""`modelforge control`: steer the running daemon (run a cycle now, pause, resume, cancel)."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option


def queue(ctx: click.Context, action: str, model_type: str | None) -> None:
    from modelforge import control
    from modelforge.lock import holder

    app = app_of(ctx)
    entry = control.request(app.db, action, model_type)
    click.echo(f"request {entry.id}: {action}{' ' + model_type if model_type else ''} queued")
    if holder(app.config.data_dir) is None:
        click.echo(
            f"no daemon is running on {app.config.data_dir}: "
            "the request waits for the next `modelforge run`",
            err=True,
        )


@click.group("control")
def command() -> None:
    """Steer the daemon through requests it polls every second.

    The requests are rows in the database, so any process may make them (the TUI does).
    """


@command.command("run-now")
@click.argument("model_type")
@click.pass_context
def run_now(ctx: click.Context, model_type: str) -> None:
    """Start (or resume) a cycle of MODEL_TYPE as soon as the daemon is free."""
    queue(ctx, "run_now", app_of(ctx).known_type(model_type))


@command.command("pause")
@click.pass_context
def pause(ctx: click.Context) -> None:
    """Pause the schedules (a running cycle goes on; run-now still works)."""
    queue(ctx, "pause", None)


@command.command("resume")
@click.pass_context
def resume(ctx: click.Context) -> None:
    """Resume the paused schedules."""
    queue(ctx, "resume", None)


@command.command("cancel")
@click.option("--type", "model_type", help="Only if the running stage belongs to this type.")
@click.pass_context
def cancel(ctx: click.Context, model_type: str | None) -> None:
    """Cancel the running stage: it checkpoints and the cycle resumes on a later run."""
    queue(ctx, "cancel", model_type)


@command.command("list")
@json_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.pass_context
def list_requests(ctx: click.Context, as_json: bool, limit: int) -> None:
    """Show the newest requests and what the daemon did with them."""
    from modelforge import control
    from modelforge.status import iso

    rows = [
        {
            "id": r.id,
            "created_at": iso(r.created_at),
            "action": r.action,
            "model_type": r.model_type,
            "status": r.status,
            "handled_at": iso(r.handled_at),
            "note": r.note,
        }
        for r in control.recent(app_of(ctx).db, limit)
    ]

    def render(items: list[dict]) -> None:
        for r in items:
            target = f" {r['model_type']}" if r["model_type"] else ""
            click.echo(
                f"{r['id']:>4} {r['created_at']} {r['action']}{target}: {r['status']}"
                + (f" ({r['note']})" if r["note"] else "")
            )

    emit(rows, as_json, render)
