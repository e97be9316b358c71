"""`modelforge config`: the effective configuration and where it came from."""

from __future__ import annotations

import click

from modelforge.cli.output import app_of, emit, json_option


@click.group("config")
def command() -> None:
    """Show or check the configuration."""


@command.command("show")
@json_option
@click.pass_context
def show(ctx: click.Context, as_json: bool) -> None:
    """Print the effective configuration, the file it came from and the data directory."""
    config = app_of(ctx).config
    data = {
        "file": str(config.path) if config.path else "embedded default",
        "data_dir": str(config.data_dir),
        "data_dir_source": config.data_dir_source,
        "settings": config.as_dict(),
    }

    def render(d: dict) -> None:
        click.echo(f"file: {d['file']}\ndata_dir: {d['data_dir']} (from {d['data_dir_source']})")
        for section, values in d["settings"].items():
            click.echo(f"[{section}]")
            for key, value in values.items():
                click.echo(f"  {key} = {value!r}")

    emit(data, as_json, render)
