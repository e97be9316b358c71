"""`modelforge config`: the effective configuration and where it came from; a file checked."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option


@click.group("config")
def command() -> None:
    """Show the effective configuration, or check a config file."""


@command.command("show")
@json_option
@click.pass_context
def show(ctx: click.Context, as_json: bool) -> None:
    """Print the effective configuration as TOML that can be used as a config file, with the
    file it came from and the data directory as comments."""
    config = app_of(ctx).config
    data = {
        "file": str(config.path) if config.path else "embedded default",
        "data_dir": str(config.data_dir),
        "data_dir_source": config.data_dir_source,
        "settings": config.as_dict(),
    }

    def render(d: dict) -> None:
        from modelforge.config_toml import dumps

        click.echo(f"# file: {d['file']}")
        click.echo(f"# data directory: {d['data_dir']} (from {d['data_dir_source']})")
        click.echo(dumps(d["settings"]))

    emit(data, as_json, render)


@command.command("check")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def check(ctx: click.Context, file: str) -> None:
    """Validate FILE as a config file for the loaded plugins: `FILE: ok`, or every problem on
    a line of its own and exit status 1."""
    from modelforge.config import load
    from modelforge.errors import ConfigError
    from modelforge.plugins import config_sections

    app = app_of(ctx)
    try:
        load(file, app.home, config_sections(app.plugins), app.provided_types)
    except ConfigError as exc:
        lines = [line.strip() for line in str(exc).splitlines()]
        problems = lines[1:] if lines[0] == "invalid configuration" else lines
        for problem in problems:
            click.echo(problem)
        ctx.exit(1)
    click.echo(f"{file}: ok")


@command.command("reference")
@click.option(
    "--first-party", is_flag=True, help="Only the core and the plugins shipped with modelforge."
)
@click.pass_context
def reference(ctx: click.Context, first_party: bool) -> None:
    """Print every table and key the loaded plugins read (type, default, meaning) as Markdown."""
    from modelforge.plugins import config_tables
    from modelforge.settings_reference import markdown

    plugins = app_of(ctx).plugins
    found = config_tables(plugins)
    if first_party:
        found = {
            name: (owner, model)
            for name, (owner, model) in found.items()
            if plugins.info.get(owner) and plugins.info[owner].source == "first-party"
        }
    click.echo(markdown(found), nl=False)
