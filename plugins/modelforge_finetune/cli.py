"""`modelforge providers` and `modelforge finetune [plan|status|cancel]`."""

from __future__ import annotations

from typing import Any

import click

from modelforge.cli.output import app_of, emit, json_option
from modelforge.errors import ModelforgeError
from modelforge_finetune.names import PROVIDERS

STAGES = ("srl", "rlvr", "sft")


def _type(app, name: str):
    from modelforge.plugins import model_types

    types = model_types(app.plugins)
    if name not in types:
        raise ModelforgeError(f"unknown model type '{name}' (known: {', '.join(sorted(types))})")
    return types[name]


def _settings(app):
    return app.config.section("finetune")


def _folder(app):
    folder = app.config.data_dir / "finetune"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# ---------------------------------------------------------------- providers


def describe_provider(app, name: str) -> dict[str, Any]:
    from modelforge_finetune import runner

    adapter = runner.adapter(name, _settings(app))
    found = adapter.credentials()
    row: dict[str, Any] = {"provider": name, "credentials": found or "none found"}
    if not found:
        return {**row, "methods": {}, "fallback": "none: no credentials"}
    try:
        return {**row, **adapter.capabilities()}
    except ModelforgeError as why:
        return {**row, "methods": {}, "error": str(why)}


def render_providers(rows: list[dict[str, Any]]) -> None:
    for row in rows:
        click.echo(f"{row['provider']}: credentials: {row['credentials']}")
        for method, models in (row.get("methods") or {}).items():
            click.echo(f"  {method}: {', '.join(models)}")
        for what, when in (row.get("retirements") or {}).items():
            click.echo(f"  retirement: {what} until {when}")
        if row.get("fallback"):
            click.echo(f"  fallback: {row['fallback']}")
        if row.get("error"):
            click.echo(f"  error: {row['error']}")


@click.command("providers")
@json_option
@click.pass_context
def providers_command(ctx: click.Context, as_json: bool) -> None:
    """What each paid provider can do for this account (credentials are never printed)."""
    app = app_of(ctx)
    emit([describe_provider(app, name) for name in PROVIDERS], as_json, render_providers)


# ---------------------------------------------------------------- finetune


def render_job(job: dict[str, Any]) -> None:
    line = f"{job['id']} {job['name']}: {job['provider']} {job['method']} on {job['base_model']}"
    click.echo(f"{line}: {job['status']}")
    for key in ("provider_job_id", "result_model", "score", "estimated_cost_usd", "error"):
        if job.get(key) is not None:
            click.echo(f"  {key}: {job[key]}")


def render_submit(data: dict[str, Any]) -> None:
    if data.get("dry_run"):
        click.echo(
            f"dry run: {data['lines']} line(s) for {data['provider']} {data['method']} on "
            f"{data['base_model']} written to {data['path']}; estimated "
            f"${data['estimated_cost_usd']:.2f}; nothing uploaded"
        )
        return
    render_job(data)


@click.group("finetune", invoke_without_command=True)
@click.option("--provider", type=click.Choice(PROVIDERS), help="The paid provider.")
@click.option("--type", "model_type", metavar="TYPE", help="The model type.")
@click.option(
    "--stage",
    type=click.Choice(STAGES),
    default="srl",
    show_default=True,
    help="SRL step instances, RLVR outcomes, or plain supervised solutions.",
)
@click.option("--base-model", metavar="MODEL", help="Default: the provider's [finetune] one.")
@click.option(
    "--dry-run", is_flag=True, help="Format, check and price, write the file; send nothing."
)
@json_option
@click.pass_context
def command(ctx, provider, model_type, stage, base_model, dry_run, as_json) -> None:
    """Fine-tune a paid provider's model on TYPE's examples, or manage such jobs."""
    if ctx.invoked_subcommand is not None:
        return
    if not provider or not model_type:
        raise click.UsageError("--provider and --type are required to start a job")
    from modelforge_finetune import pricing, runner

    app = app_of(ctx)
    settings, kind = _settings(app), _type(app, model_type)
    adapter = runner.adapter(provider, settings)
    if not dry_run and not adapter.credentials():
        raise ModelforgeError(f"{provider}: no credentials found (see `modelforge providers`)")
    if dry_run:
        method, model = adapter.configured(stage, base_model or adapter.conf.base_model)
        rows = runner.unserved(app.db, model_type, settings.examples)
        if not rows:
            raise runner.NoData(f"no unserved {model_type} examples to fine-tune on")
        text, count = runner.format_data(
            adapter, kind, stage, method, [row.trajectory() for row in rows]
        )
        found = pricing.estimate(settings, model, text, adapter.epochs())
        path = runner.write_data(_folder(app), f"dry-run-{provider}-{model_type}-{stage}", text)
        data = {
            "dry_run": True,
            "provider": provider,
            "method": method,
            "base_model": model,
            "lines": count,
            "path": str(path),
            "estimated_cost_usd": found.cost_usd,
        }
        emit(data, as_json, render_submit)
        return
    prepared = runner.prepare(app.db, settings, adapter, kind, stage, base_model)
    pricing.check_budget(settings, prepared.estimate, f"{provider} {prepared.method}")
    job = runner.start(app.db, settings, adapter, kind, stage, prepared, None)
    try:
        job = runner.push(app.db, settings, adapter, kind, job, _folder(app))
    except ModelforgeError as why:
        from modelforge_finetune import jobs

        jobs.update(app.db, job.id, status="failed", error=str(why))
        raise
    emit(job.summary(), as_json, render_submit)


@command.command("status")
@click.argument("job", required=False)
@click.option("--no-refresh", is_flag=True, help="Show what is stored; ask no provider.")
@json_option
@click.pass_context
def status_command(ctx, job: str | None, no_refresh: bool, as_json: bool) -> None:
    """List jobs, or show JOB (id, name or provider id) after asking its provider once."""
    from modelforge_finetune import jobs, runner

    app = app_of(ctx)
    if job is None:
        listed = [found.summary() for found in jobs.listing(app.db)]
        emit(
            listed, as_json, lambda rows: [render_job(row) for row in rows] or click.echo("no jobs")
        )
        return
    found = jobs.find(app.db, job)
    if not no_refresh and not found.finished:
        found = runner.refresh(app.db, runner.adapter(found.provider, _settings(app)), found)
    emit(found.summary(), as_json, render_job)


@command.command("cancel")
@click.argument("job")
@click.pass_context
def cancel_command(ctx, job: str) -> None:
    """Cancel JOB at its provider and mark it cancelled."""
    from modelforge_finetune import jobs, runner

    app = app_of(ctx)
    found = jobs.find(app.db, job)
    found = runner.cancel(app.db, runner.adapter(found.provider, _settings(app)), found)
    click.echo(f"{found.name}: {found.status}")


@command.command("plan")
@click.option("--type", "model_type", required=True, metavar="TYPE", help="The model type.")
@json_option
@click.pass_context
def plan_command(ctx, model_type: str, as_json: bool) -> None:
    """Cost against expected gain for each provider option and prompt optimisation."""
    from modelforge_finetune import plan

    app = app_of(ctx)
    report = plan.make(app.db, _settings(app), _type(app, model_type))
    emit(report, as_json, render_plan)


def render_plan(report: dict[str, Any]) -> None:
    click.echo(f"{report['model_type']} ({report['stage']}):")
    for row in report["options"]:
        if not row["possible"]:
            click.echo(f"  {row['option']}: not possible")
            continue
        click.echo(
            f"  {row['option']}: {row['method']} on {row['base_model']}: one-off "
            f"${row['one_off_usd']:.2f}, ${row['price_per_1k_usd']:.4f}/1k requests, "
            f"gain {row['expected_gain']:.3f} ({row['gain_source']})"
        )
    click.echo(f"recommendation: {report['recommendation'] or 'none'}")
    for reason in report["reasons"]:
        click.echo(f"  - {reason}")
