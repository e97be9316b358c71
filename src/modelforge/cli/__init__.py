"""The `modelforge` command line (click). Heavy libraries are imported only inside the
stages that train, so `modelforge --help` stays fast."""

from modelforge.cli.main import main

__all__ = ["main"]
