"""docs/service.md's systemd user unit, read from the page: it starts the daemon, names a data
directory modelforge reads, and stops it with the signal the daemon stops gracefully on."""

from __future__ import annotations

import os
import shlex
import signal
import threading
from pathlib import Path

from click.testing import CliRunner

from modelforge.cli.main import build_cli
from modelforge.config import resolve_home
from modelforge.daemon import stop_on_signals

PAGE = Path(__file__).parents[1] / "docs" / "service.md"


def unit() -> dict[str, dict[str, list[str]]]:
    """The page's unit as systemd reads it: sections of keys, each key with all its values."""
    text = PAGE.read_text(encoding="utf-8").split("<!-- systemd-unit -->", 1)[1]
    body = text.split("```ini\n", 1)[1].split("```", 1)[0]
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in body.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        assert current is not None and _ == "=", line
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_the_unit_runs_the_daemon(plugins):
    found = unit()
    assert set(found) == {"Unit", "Service", "Install"}
    service = found["Service"]
    [exec_start] = service["ExecStart"]
    program, *args = shlex.split(exec_start)
    assert program.endswith("/.venv/bin/modelforge") and args == ["run"]
    cli = build_cli(plugins)
    run = cli.get_command(None, "run")
    assert run.make_context("run", list(args[1:])).params["once"] is False  # the daemon
    assert "--once" in CliRunner().invoke(cli, ["run", "--help"]).stdout
    assert service["Type"] == ["simple"]  # a foreground process: it does not fork
    assert found["Install"]["WantedBy"] == ["default.target"]  # a user unit's target


def test_the_units_environment_is_what_modelforge_reads(monkeypatch):
    variables = dict(item.split("=", 1) for item in unit()["Service"]["Environment"])
    home = variables["MODELFORGE_HOME"].replace("%h", str(Path.home()))
    monkeypatch.setenv("MODELFORGE_HOME", home)
    assert resolve_home(None) == (Path(home), "MODELFORGE_HOME")


def test_the_units_stop_signal_stops_the_daemon_gracefully():
    service = unit()["Service"]
    [name] = service["KillSignal"]
    stop = threading.Event()
    with stop_on_signals(stop):
        os.kill(os.getpid(), getattr(signal, name))
        assert stop.wait(5)  # asked to stop after this step, not killed
    assert int(service["TimeoutStopSec"][0]) >= 300  # a CPU training step may take minutes
    assert service["Restart"] == ["on-failure"]  # a clean stop exits 0 and stays stopped
