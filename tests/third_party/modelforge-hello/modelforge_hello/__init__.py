"""A third-party plugin, written as any package outside modelforge would write one.

Its behaviour is steered by environment variables so a test can drive it in a subprocess:
HELLO_LOG (a file each call appends to), HELLO_RAISE (raise inside generate),
HELLO_BLOCK (a file to create, then sleep until killed).
"""

import os
import time
from pathlib import Path

import click

from modelforge import hookimpl


def _log(line: str) -> None:
    if os.environ.get("HELLO_LOG"):
        with open(os.environ["HELLO_LOG"], "a") as handle:
            handle.write(line + "\n")


@hookimpl
def register_commands(cli):
    @cli.command()
    def hello():
        """Say hello from a third-party plugin."""
        click.echo("hello from a plugin")


@hookimpl
def audit(model_type):
    _log(f"audit {model_type}")
    return {"unmarked_deprecate": 0}


@hookimpl
def generate(model_type, ctx):
    _log(f"generate {model_type} cycle {ctx.cycle_id}")
    if os.environ.get("HELLO_RAISE"):
        raise RuntimeError("hello plugin was told to fail")
    if os.environ.get("HELLO_BLOCK"):
        Path(os.environ["HELLO_BLOCK"]).write_text(str(os.getpid()))
        time.sleep(600)
    ctx.progress(3, 3)
    return {"generated": 3}
