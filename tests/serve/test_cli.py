"""`modelforge serve`, `modelforge serve --vllm` and `modelforge adapters` against a server."""

from __future__ import annotations

import json

import pytest


def test_adapters_commands_talk_to_the_server(invoke, server):
    loaded = json.loads(invoke("adapters", "load", "tiny-a", "--url", server.url, "--json").output)
    assert loaded["model"] == "tiny-a"
    listing = invoke("adapters", "list", "--url", server.url)
    assert "tiny-a (slot0)" in listing.output
    assert "unloaded tiny-a" in invoke("adapters", "unload", "tiny-a", "--url", server.url).output
    assert "was not loaded" in invoke("adapters", "unload", "tiny-a", "--url", server.url).output


def test_adapters_load_refusal_is_a_message(invoke, server):
    result = invoke("adapters", "load", "tiny-old", "--url", server.url)
    assert result.exit_code == 1 and "SRL then RLVR" in result.output
    result = invoke("adapters", "load", "tiny-base", "--url", server.url)
    assert result.exit_code == 1 and "not an adapter" in result.output


def test_adapters_without_a_server_is_a_message(invoke):
    result = invoke("adapters", "list", "--url", "http://127.0.0.1:9")
    assert result.exit_code == 1 and "modelforge serve" in result.output


def test_vllm_command_line(invoke, registered):
    plan = json.loads(invoke("serve", "--vllm", "--port", "9000", "--json").output)
    (command,) = plan["commands"]
    argv = command["argv"]
    assert argv[:3] == ["vllm", "serve", str(registered["base"])]
    assert argv[argv.index("--port") + 1] == "9000"
    assert "--enable-lora" in argv and argv[argv.index("--max-lora-rank") + 1] == "8"
    modules = argv[argv.index("--lora-modules") + 1 : argv.index("--lora-modules") + 5]
    assert modules == [
        f"{name}={registered[name]}" for name in ("tiny-a", "tiny-b", "tiny-c", "tiny-mlp")
    ]
    assert command["env"] == {
        "VLLM_ALLOW_RUNTIME_LORA_UPDATING": "True",
        "VLLM_API_KEY": "$MODELFORGE_SERVE_TOKEN",
    }
    assert command["shell"].startswith('VLLM_ALLOW_RUNTIME_LORA_UPDATING="True" VLLM_API_KEY=')
    assert list(plan["refused"]) == ["tiny-old"]
    text = invoke("serve", "--vllm").output
    assert "--lora-modules" in text and "# left out tiny-old" in text


def test_serve_command_starts_and_stops(invoke, registered, monkeypatch):
    from modelforge_serve.server import Server

    seen = {}

    def serve_briefly(self):
        seen["url"] = self.url
        self.close()
        raise KeyboardInterrupt

    monkeypatch.setattr(Server, "serve_forever", serve_briefly)
    result = invoke("serve", "--port", "0")
    assert result.exit_code == 0 and seen["url"].startswith("http://127.0.0.1:")
    assert "no token (loopback)" in result.output and "stopped" in result.output


def test_serve_off_loopback_without_token_is_a_message(invoke, monkeypatch):
    monkeypatch.delenv("MODELFORGE_SERVE_TOKEN", raising=False)
    result = invoke("serve", "--host", "0.0.0.0", "--port", "0")
    assert result.exit_code == 1 and "requires a bearer token" in result.output


@pytest.mark.parametrize("module", ["plugin", "cli", "settings"])
def test_plugin_imports_nothing_heavy(module):
    import subprocess
    import sys

    probe = (
        f"import json, sys, modelforge_serve.{module}\n"
        "heavy = ('torch', 'transformers', 'peft', 'openai')\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert json.loads(result.stdout) == []


def test_serve_on_a_port_in_use_is_one_line(invoke, registered):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = invoke("serve", "--port", str(port))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"127.0.0.1:{port}" in result.output and "--port" in result.output
    assert len(result.output.strip().splitlines()) == 1
