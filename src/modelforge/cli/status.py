"""`modelforge status`: the current cycle, stage and progress of every model type."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option


def render(data: dict) -> None:
    runner = "none"
    if data["daemon_pid"]:
        runner = f"{data['runner']} running (pid {data['daemon_pid']})"
    if data["schedule_paused"]:
        runner += ", schedule paused"
    click.echo(f"data directory: {data['data_dir']}  config: {data['config']}  runner: {runner}")
    for job in data["scheduled"]:
        click.echo(f"scheduled {job['job']}: next at {job['next_run_at']}")
    for entry in data["types"]:
        cycle = entry["cycle"]
        state = "" if entry["enabled"] else " (disabled)"
        if cycle is None:
            click.echo(f"\n{entry['model_type']}{state}: no cycle yet")
            continue
        render_cycle(f"{entry['model_type']}{state}: cycle", cycle, "it resumes on the next run")
        if entry["curve"]:
            points = ", ".join(
                f"cycle {p['cycle']} {p['rate']:.3f} ({p['passed']}/{p['samples']})"
                for p in entry["curve"]
            )
            click.echo(f"  test-set curve (last points): {points}")
        for older in entry["unfinished"]:
            render_cycle(
                f"{entry['model_type']}: older unfinished cycle",
                older,
                "a run resumes only the newest cycle",
            )


def render_cycle(heading: str, cycle: dict, after_orphan: str) -> None:
    orphaned = f" (its process is gone; {after_orphan})" if cycle["orphaned"] else ""
    click.echo(
        f"\n{heading} {cycle['id']} {cycle['status']}{orphaned}, "
        f"started {cycle['started_at']}, stage {cycle['current_stage']}"
    )
    for stage in cycle["stages"]:
        progress = stage["progress"]
        done = f" {progress['done']}/{progress['total']}" if progress["total"] else ""
        why = stage["detail"] or stage["error"] or ""
        click.echo(f"  {stage['stage']:<16}{stage['status']:<12}{done:<10}{why}")


@click.command("status")
@json_option
@click.pass_context
def command(ctx: click.Context, as_json: bool) -> None:
    """Show each model type's newest cycle and every older one left unfinished, with their
    stages and progress."""
    from modelforge.status import gather

    emit(gather(app_of(ctx)), as_json, render)
