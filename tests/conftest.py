"""Every test gets its own data directory; nothing touches ~/.modelforge."""

from __future__ import annotations

import os
from importlib.metadata import entry_points

import pytest
from click.testing import CliRunner

from modelforge.app import App
from modelforge.cli.main import build_cli
from modelforge.plugins import Plugins, load_plugins

_ORIGINAL_HOME = os.environ.get("MODELFORGE_HOME")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """A fresh data directory, and no config file or plugin narrowing from the environment."""
    data_dir = tmp_path / "home"
    monkeypatch.setenv("MODELFORGE_HOME", str(data_dir))
    monkeypatch.delenv("MODELFORGE_CONFIG", raising=False)
    monkeypatch.delenv("MODELFORGE_LOAD_PLUGINS", raising=False)
    return data_dir


TRAINS_FOR_REAL = {"train"}  # its own tests register it, with tiny settings


@pytest.fixture
def plugins(monkeypatch) -> Plugins:
    """The installed plugins (first-party and entry points), freshly loaded, less the trainer:
    a whole cycle in a test must not pre-train the embedded base for real."""
    names = {entry.name for entry in entry_points(group="modelforge")} - TRAINS_FOR_REAL
    monkeypatch.setenv("MODELFORGE_LOAD_PLUGINS", ",".join(sorted(names)))
    return load_plugins()


@pytest.fixture
def bare_plugins(monkeypatch) -> Plugins:
    """No plugins at all: the core on its own, every stage `skipped: no plugin`."""
    monkeypatch.setenv("MODELFORGE_LOAD_PLUGINS", "")
    return load_plugins()


@pytest.fixture
def app(plugins) -> App:
    return App(plugins)


@pytest.fixture
def invoke(plugins):
    """Run the CLI in-process: invoke("status", "--json") -> click Result."""

    def run(*args: str, input: str | None = None):
        return CliRunner().invoke(
            build_cli(plugins), list(args), input=input, catch_exceptions=False
        )

    return run


def pytest_sessionfinish(session, exitstatus):
    """With MODELFORGE_RECORD_TESTS=1, record the outcome for `modelforge checklist`."""
    if not os.environ.get("MODELFORGE_RECORD_TESTS"):
        return
    from modelforge.events import record_event

    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    stats = reporter.stats if reporter else {}
    passed, failed = (
        len(stats.get("passed", [])),
        len(stats.get("failed", [])) + len(stats.get("error", [])),
    )
    if _ORIGINAL_HOME is not None:
        os.environ["MODELFORGE_HOME"] = _ORIGINAL_HOME
    recorder = App(load_plugins())
    record_event(
        recorder.db,
        "tests.result",
        f"test run: {passed} passed, {failed} failed",
        level="info" if not failed else "error",
        passed=passed,
        failed=failed,
    )
