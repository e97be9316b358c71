"""A bearer token is required off loopback (checked without binding elsewhere)."""

from __future__ import annotations

import openai
import pytest
from modelforge_serve.auth import is_loopback, server_token

from modelforge.errors import ModelforgeError

from .raw_http import request

ENV = "MODELFORGE_SERVE_TOKEN"


@pytest.mark.parametrize(
    "host, loopback",
    [
        ("127.0.0.1", True),
        ("127.3.2.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("::", False),
        ("myhost.example", False),
    ],
)
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_off_loopback_needs_a_token():
    with pytest.raises(ModelforgeError, match=ENV):
        server_token("0.0.0.0", ENV, {})
    assert server_token("0.0.0.0", ENV, {ENV: "s3cret"}) == "s3cret"
    assert server_token("127.0.0.1", ENV, {}) is None


def test_server_refuses_to_bind_off_loopback_without_a_token(app, monkeypatch):
    from modelforge_serve.server import build_server

    monkeypatch.delenv(ENV, raising=False)
    with pytest.raises(ModelforgeError, match="requires a bearer token"):
        build_server(app, "0.0.0.0", 0)


@pytest.fixture
def guarded(app, registered, monkeypatch):
    from modelforge_serve.server import build_server

    monkeypatch.setenv(ENV, "s3cret")
    running = build_server(app, "127.0.0.1", 0).start()
    yield running
    running.stop()


def test_a_set_token_is_required(guarded):
    def client(key):
        return openai.OpenAI(base_url=f"{guarded.url}/v1", api_key=key, max_retries=0)

    with pytest.raises(openai.AuthenticationError) as raised:
        client("wrong").models.list()
    assert raised.value.body["code"] == "invalid_api_key"
    assert client("s3cret").models.list().data
    assert request(guarded.url, "GET", "/admin/adapters").status == 401
    assert request(guarded.url, "GET", "/health").status == 200
