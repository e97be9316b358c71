"""One way to print results: JSON for scripts, text for people."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from modelforge.app import App


def json_option(command: Callable) -> Callable:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(command)


def emit(data: Any, as_json: bool, render: Callable[[Any], None]) -> None:
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        render(data)


def app_of(ctx: click.Context) -> App:
    return ctx.find_object(App)
