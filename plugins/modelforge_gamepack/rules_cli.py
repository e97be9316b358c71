"""`modelforge rules show|diff|check`: a type's versioned rules, what changed, and acting on it."""

from __future__ import annotations

from pathlib import Path

import click

from modelforge.cli.output import app_of, emit, json_option
from modelforge.errors import ModelforgeError


def _model_type(ctx: click.Context, name: str):
    from modelforge.plugins import model_types

    types = model_types(app_of(ctx).plugins)
    if name not in types:
        raise ModelforgeError(f"unknown model type '{name}' (known: {', '.join(sorted(types))})")
    return types[name]


@click.group("rules")
def command() -> None:
    """Show, compare and check the versioned rules of model types."""


@command.command("show")
@click.argument("model_type", metavar="TYPE")
@json_option
@click.pass_context
def show(ctx: click.Context, model_type: str, as_json: bool) -> None:
    """Print TYPE's rules: the version, then every rule and table as `path = value`."""
    from modelforge_gamepack.rules_diff import flatten, line

    rules = _model_type(ctx, model_type).rules

    def render(data: dict) -> None:
        click.echo(f"{model_type} rules {data['version']}")
        for path, value in flatten(data["data"]).items():
            click.echo(line(path, value))

    emit({"type": model_type, "version": rules.version, "data": rules.data}, as_json, render)


def _baseline(ctx: click.Context, name: str, path: str | None, version: str | None):
    """The rules to compare with: a file, a recorded version, or the last version recorded."""
    from modelforge.modeltype import Rules
    from modelforge_gamepack.rules_watch import history

    if path is not None:
        try:
            rules = Rules.from_toml(Path(path).read_text())
        except (OSError, ValueError) as exc:
            raise ModelforgeError(f"cannot read rules from {path}: {exc}") from None
        return rules.version, rules.data, path
    seen = history(app_of(ctx).db, name)
    if version is not None:
        seen = [entry for entry in seen if entry.version == version]
        if not seen:
            raise ModelforgeError(
                f"no rules version {version} of '{name}' is recorded (see `modelforge rules diff "
                f"{name}` without --version, or pass a rules file)"
            )
    if not seen:
        raise ModelforgeError(
            f"no rules of '{name}' are recorded yet: pass a rules file, or run a cycle or "
            f"`modelforge rules check {name}` first"
        )
    return seen[-1].version, seen[-1].data, "recorded"


@command.command("diff")
@click.argument("model_type", metavar="TYPE")
@click.argument("against", metavar="[FILE]", required=False, type=click.Path(dir_okay=False))
@click.option("--version", "version", help="Compare with this recorded version instead.")
@json_option
@click.pass_context
def diff_command(
    ctx: click.Context, model_type: str, against: str | None, version: str | None, as_json: bool
) -> None:
    """Compare TYPE's current rules with FILE, a recorded --version, or the last one recorded."""
    from modelforge_gamepack.rules_diff import diff, line

    if against and version:
        raise ModelforgeError("give a rules FILE or --version, not both")
    current = _model_type(ctx, model_type).rules
    old_version, old_data, source = _baseline(ctx, model_type, against, version)
    data = {
        "type": model_type,
        "old": {"version": old_version, "source": source},
        "new": {"version": current.version, "source": "current"},
        "changes": diff(old_data, current.data),
    }

    def render(report: dict) -> None:
        click.echo(f"--- {model_type} rules {old_version} ({source})")
        click.echo(f"+++ {model_type} rules {current.version} (current)")
        for change in report["changes"]:
            if "old" in change:
                click.echo("- " + line(change["path"], change["old"]))
            if "new" in change:
                click.echo("+ " + line(change["path"], change["new"]))
        if not report["changes"]:
            click.echo("no differences")

    emit(data, as_json, render)


@command.command("check")
@click.argument("names", metavar="[TYPE]...", nargs=-1)
@json_option
@click.pass_context
def check_command(ctx: click.Context, names: tuple[str, ...], as_json: bool) -> None:
    """Record each type's rules version; on a change mark its artifacts stale and queue a cycle.

    Without TYPE, every enabled type. The daemon does the same at each cycle's generate stage.
    """
    from modelforge_gamepack.rules_watch import check

    app = app_of(ctx)
    chosen = list(names) or app.config.enabled_types
    results = []
    for name in chosen:
        model_type = _model_type(ctx, name)
        change = check(app.db, model_type, queue_retraining=True)
        results.append(
            change or {"type": name, "version": model_type.rules.version, "changed": False}
        )

    def render(rows: list) -> None:
        for row in rows:
            if row.get("changed") is False:
                click.echo(f"{row['type']}: rules {row['version']} unchanged")
            else:
                click.echo(
                    f"{row['type']}: rules {row['old']} -> {row['new']}; "
                    f"{len(row['stale_artifacts'])} artifact(s) marked stale; retraining queued"
                )

    emit(results, as_json, render)
