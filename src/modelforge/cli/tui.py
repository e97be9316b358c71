"""`modelforge tui`: watch and steer the daemon from a terminal."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of


@click.command("tui")
@click.option(
    "--refresh",
    "refresh_s",
    type=click.FloatRange(min=0.2),
    default=2.0,
    show_default=True,
    help="Seconds between reloads of the screen in view.",
)
@click.pass_context
def command(ctx: click.Context, refresh_s: float) -> None:
    """Open the terminal UI: overview, checklist, jobs, weaknesses, selection, audit, control.

    It reads the database the daemon writes, live, and steers the daemon through control
    requests; it never trains in its own process.
    """
    from modelforge.tui.app import ForgeApp  # textual loads only when the TUI opens

    names = sorted(ctx.find_root().command.commands)
    app = app_of(ctx)
    app.db.ensure_schema()  # before the screen opens: a schema error is a message, not a crash
    ForgeApp(app, names, refresh_s=refresh_s).run()
