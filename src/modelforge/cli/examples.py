"""`modelforge examples stats|export`: what the example store holds, per model type."""

from __future__ import annotations

from pathlib import Path

import click

from modelforge.cli.output import app_of, emit, json_option

_TYPE = click.option("--type", "model_type", required=True, metavar="TYPE", help="The model type.")


@click.group("examples")
def command() -> None:
    """Inspect and export the verified examples that generation stored."""


def render_stats(data: dict) -> None:
    click.echo(f"{data['model_type']}: {data['batches']} batch(es) in {data['cycles']} cycle(s)")
    click.echo(f"  {'category':<20}{'stored':>8}{'served':>8}{'unserved':>10}")
    for name, entry in [*data["categories"].items(), ("total", data["total"])]:
        click.echo(f"  {name:<20}{entry['stored']:>8}{entry['served']:>8}{entry['unserved']:>10}")
    dup = data["duplicates"]
    click.echo(f"duplicates rejected: {dup['exact']} exact, {dup['near']} near")
    for reason, count in data["rejected"].items():
        click.echo(f"rejected {count}: {reason}")


@command.command("stats")
@_TYPE
@json_option
@click.pass_context
def stats(ctx: click.Context, model_type: str, as_json: bool) -> None:
    """Per category: stored, served and unserved examples; duplicates and rejections."""
    from modelforge.examples import ExampleStore

    app = app_of(ctx)
    emit(ExampleStore(app.db).stats(app.known_type(model_type)), as_json, render_stats)


@command.command("export")
@_TYPE
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "hf"]),
    default="jsonl",
    show_default=True,
    help="JSON lines, or a Hugging Face datasets dataset saved to disk.",
)
@click.option("--force", is_flag=True, help="Replace OUT if it is a file (never a folder).")
@click.argument("out", type=click.Path(path_type=Path))
@click.pass_context
def export(ctx: click.Context, model_type: str, fmt: str, force: bool, out: Path) -> None:
    """Write every stored example of TYPE to OUT (problem, steps, outcome, provenance).

    An existing OUT is refused unless it is a folder an earlier export wrote, or a file and
    --force is given; a folder modelforge did not write is never replaced.
    """
    from modelforge.artifacts import TargetExists
    from modelforge.examples import ExampleStore
    from modelforge.examples.export import export as write

    app = app_of(ctx)
    app.known_type(model_type)
    try:
        count = write(ExampleStore(app.db), model_type, fmt, out, force=force)
    except TargetExists as exc:
        if force or (out.is_dir() and not out.is_symlink()):
            raise
        raise TargetExists(f"{exc} (--force replaces a file)") from None
    click.echo(f"exported {count} example(s) of {model_type} to {out}")
