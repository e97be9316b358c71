"""`modelforge generate`: make and store verified examples for one model type, now."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option
from modelforge.errors import ModelforgeError


def render(data: dict) -> None:
    click.echo(
        f"{data['model_type']}: {data['generated']} of {data['requested']} stored "
        f"in {data['attempts']} attempt(s) (batch {data['batch_id']})"
    )
    dup = data["duplicates"]
    click.echo(f"duplicates: {dup['exact']} exact, {dup['near']} near")
    for reason, count in data["rejected"].items():
        click.echo(f"rejected {count}: {reason}")


@click.command("generate")
@click.option("--type", "model_type", required=True, metavar="TYPE", help="The model type.")
@click.option(
    "-n",
    "count",
    type=click.IntRange(min=1),
    default=10,
    show_default=True,
    help="How many new verified examples to store.",
)
@click.option(
    "--roles",
    "role_spec",
    default="",
    metavar="A=…,B=…,C=…",
    help="Backends for context (A), teacher (B) and verifier (C), e.g. "
    "B=openai-compatible:gpt-4o-mini. Default: [generate.roles].",
)
@json_option
@click.pass_context
def command(ctx: click.Context, model_type: str, count: int, role_spec: str, as_json: bool) -> None:
    """Generate verified expert trajectories for TYPE and store them."""
    from modelforge.contracts import published
    from modelforge.plugins import model_types
    from modelforge_generate import edge
    from modelforge_generate.batch import run_batch
    from modelforge_generate.roles import build_roles, parse_spec

    app = app_of(ctx)
    types = model_types(app.plugins)
    if model_type not in types:
        raise ModelforgeError(
            f"unknown model type '{model_type}' (known: {', '.join(sorted(types))})"
        )
    config = app.config.section("generate")
    roles = build_roles(types[model_type], config, parse_spec(role_spec))
    report = run_batch(
        app.db,
        types[model_type],
        roles,
        config,
        count,
        weakness_table=published(app.plugins).table("weaknesses"),
        competence=(
            edge.competence(app.plugins, app.db, app.config, model_type)
            if config.mix == "edge"
            else None
        ),
    )
    emit({"model_type": model_type, **report.as_dict(), "roles": roles.describe()}, as_json, render)
