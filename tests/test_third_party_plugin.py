"""A real third-party package, installed from tests/third_party, seen and called by modelforge."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from modelforge.plugins import load_plugins

PACKAGE = Path(__file__).parent / "third_party" / "modelforge-hello"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Path:
    """pip-install the plugin package into a folder of its own (not into the test's venv)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(target),
            str(PACKAGE),
        ],
        check=True,
        timeout=180,
    )
    return target


@pytest.fixture
def on_path(installed, monkeypatch):
    monkeypatch.syspath_prepend(str(installed))
    return installed


def cli(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "modelforge", *args],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def env(installed, home, tmp_path):
    return {
        **os.environ,
        "MODELFORGE_HOME": str(home),
        "PYTHONPATH": str(installed),
        "MODELFORGE_LOAD_PLUGINS": "hello",  # the third-party plugin alone
        "HELLO_LOG": str(tmp_path / "calls.log"),
    }


def arith_cycle(env) -> dict:
    status = json.loads(cli("status", "--json", env=env).stdout)
    return next(entry for entry in status["types"] if entry["model_type"] == "arith")["cycle"]


def calls(env) -> list[str]:
    log = Path(env["HELLO_LOG"])
    return log.read_text().splitlines() if log.exists() else []


def test_plugins_lists_the_installed_package(on_path, invoke):
    plugins = load_plugins()
    assert plugins.info["hello"].source == "entry point"
    assert plugins.info["hello"].version == "0.3.0"
    assert plugins.hooks_of("hello") == ["audit", "generate", "register_commands"]


def test_plugin_command_and_hooks_run_through_the_cli(env):
    listed = {row["name"]: row for row in json.loads(cli("plugins", "--json", env=env).stdout)}
    assert listed["hello"]["source"] == "entry point"
    assert cli("hello", env=env).stdout == "hello from a plugin\n"
    result = cli("run", "--once", "--type", "arith", env=env)
    assert result.returncode == 0, result.stderr
    assert calls(env) == ["audit arith", "generate arith cycle 1"]
    stages = {s["stage"]: s for s in arith_cycle(env)["stages"]}
    assert stages["generate"]["status"] == "done"
    assert stages["generate"]["progress"] == {"done": 3, "total": 3}
    assert stages["train_srl"]["detail"] == "no plugin"


def test_a_raising_plugin_fails_the_stage_and_the_next_run_resumes(env):
    failing = cli("run", "--once", "--type", "arith", env={**env, "HELLO_RAISE": "1"})
    assert failing.returncode == 1
    assert "cycle 1 for arith: failed" in failing.stdout
    assert "Traceback" not in failing.stdout
    generate = arith_cycle(env)["stages"][1]
    assert generate["status"] == "failed"
    assert generate["error"] == "plugin 'hello' raised RuntimeError: hello plugin was told to fail"

    fixed = cli("run", "--once", "--type", "arith", env=env)
    assert fixed.returncode == 0
    assert "cycle 1 for arith: done" in fixed.stdout
    assert calls(env) == ["audit arith", "generate arith cycle 1", "generate arith cycle 1"]


def test_a_sigkilled_run_resumes_at_the_unfinished_stage(env, tmp_path):
    marker = tmp_path / "blocking"
    process = subprocess.Popen(
        [sys.executable, "-m", "modelforge", "run", "--once", "--type", "arith"],
        env={**env, "HELLO_BLOCK": str(marker)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not marker.exists():
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.1)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)

    during = arith_cycle(env)
    assert during["status"] == "running" and during["current_stage"] == "generate"
    assert during["orphaned"] is True

    resumed = cli("run", "--once", "--type", "arith", env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert "cycle 1 for arith: done" in resumed.stdout
    assert calls(env) == ["audit arith", "generate arith cycle 1", "generate arith cycle 1"]
    events = json.loads(cli("events", "--json", "--kind", "cycle.", env=env).stdout)
    assert [e["kind"] for e in events] == [
        "cycle.started",
        "cycle.interrupted",
        "cycle.resumed",
        "cycle.done",
    ]
