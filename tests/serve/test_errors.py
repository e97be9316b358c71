"""Bad input gets the OpenAI error shape and the right status, never a 500 with a traceback."""

from __future__ import annotations

import openai
import pytest

from .raw_http import Answer, request

HI = [{"role": "user", "content": "hi"}]


def post(server, body: bytes | str) -> Answer:
    return request(server.url, "POST", "/v1/chat/completions", body)


def assert_openai_error(response: Answer, status: int, code: str) -> None:
    assert response.status == status
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["code"] == code and "Traceback" not in response.text


def test_malformed_json_is_400(server):
    assert_openai_error(post(server, "{not json"), 400, "invalid_json")


def test_oversized_body_is_413(server, app):
    limit = app.config.section("serve").max_body_bytes
    assert_openai_error(post(server, b" " * (limit + 1)), 413, "request_too_large")


@pytest.mark.parametrize(
    "body, param",
    [
        ({"messages": HI}, "model"),
        ({"model": "tiny-a"}, "messages"),
        ({"model": "tiny-a", "messages": [{"content": "no role"}]}, "messages[0]"),
        ({"model": "tiny-a", "messages": HI, "max_tokens": -1}, "max_tokens"),
        ({"model": "tiny-a", "messages": HI, "temperature": "hot"}, "temperature"),
        ({"model": "tiny-a", "messages": HI, "n": 2}, "n"),
        ({"model": "tiny-a", "messages": HI, "tools": []}, "tools"),
    ],
)
def test_invalid_fields_are_400_naming_the_field(server, body, param):
    import json

    response = post(server, json.dumps(body))
    assert response.status == 400 and response.json()["error"]["param"] == param


def test_unknown_model_and_route_are_404(client, server):
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(model="no-such-model", messages=HI)
    assert raised.value.body["code"] == "model_not_found"
    assert_openai_error(request(server.url, "GET", "/v1/nothing"), 404, "unknown_url")
    assert_openai_error(request(server.url, "DELETE", "/v1/models"), 405, "method_not_allowed")


def test_too_many_tokens_is_400(client):
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="tiny-a", messages=HI, max_tokens=100_000)
    assert raised.value.body["code"] == "max_tokens_exceeded"
    long = [{"role": "user", "content": "x" * 300}]  # the tiny model's context is 256
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="tiny-a", messages=long, max_tokens=4, stream=True)
    assert raised.value.body["code"] == "context_length_exceeded"


def test_adapter_without_srl_rlvr_lineage_is_refused(client, app, registered):
    with pytest.raises(openai.PermissionDeniedError) as raised:
        client.chat.completions.create(model="tiny-old", messages=HI)
    assert raised.value.body["code"] == "lineage_refused"
    assert "SRL then RLVR" in raised.value.body["message"]


def test_registry_lineage_without_the_folders_agreement_is_refused(
    client, app, registered, tmp_path
):
    import shutil

    from modelforge.registry import register_model

    folder = tmp_path / "relabelled"
    shutil.copytree(registered["tiny-old"], folder)  # its lineage file says ["sft"]
    register_model(
        app.db,
        "relabelled",
        "local",
        path=str(folder),
        adapter=True,
        base="tiny-base",
        lineage={"stages": ["srl", "rlvr"]},
    )
    with pytest.raises(openai.PermissionDeniedError) as raised:
        client.chat.completions.create(model="relabelled", messages=HI)
    assert "['sft']" in raised.value.body["message"]


def test_remote_models_are_not_served_here(client, app, registered):
    from modelforge.registry import register_model

    register_model(app.db, "paid", "remote", provider="openai", provider_model_id="ft:x")
    with pytest.raises(openai.BadRequestError) as raised:
        client.chat.completions.create(model="paid", messages=HI)
    assert raised.value.body["code"] == "model_not_served"


def test_a_failure_inside_is_500_without_traceback(server, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(server.pool, "use", broken)
    response = post(server, '{"model": "tiny-a", "messages": [{"role": "user", "content": "x"}]}')
    assert_openai_error(response, 500, "internal_error")
    assert "secret internals" not in response.text


def test_deeply_nested_json_is_400(server):
    deep = "[" * 100_000 + "]" * 100_000
    response = post(server, '{"model": "tiny-a", "messages": ' + deep + "}")
    assert_openai_error(response, 400, "invalid_json")
    assert "nested too deeply" in response.json()["error"]["message"]


@pytest.mark.parametrize("seed", [10**23, -(10**23), 2**64])
def test_seed_out_of_range_is_400_naming_it(server, seed):
    import json

    response = post(server, json.dumps({"model": "tiny-a", "messages": HI, "seed": seed}))
    assert_openai_error(response, 400, "invalid_request")
    assert response.json()["error"]["param"] == "seed"


def test_a_client_that_stalls_mid_request_is_disconnected(app, registered):
    """Half a request, then silence: the server closes the connection after [serve]
    read_timeout_s instead of holding a thread for it forever."""
    import socket
    import time

    from modelforge_serve.server import build_server

    server = build_server(app, "127.0.0.1", 0)
    assert server.httpd.read_timeout_s == 60.0  # [serve] read_timeout_s's default: a minute
    server.httpd.read_timeout_s = 0.5
    server.start()
    try:
        halves = {  # what was sent: what the client hears before the server closes
            b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n": b"",  # headers unfinished
            b"POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 100\r\n\r\n{": b"HTTP/1.1 408",
        }
        for half, heard in halves.items():
            with socket.create_connection(server.httpd.server_address[:2], timeout=10) as sock:
                sock.sendall(half)
                started = time.monotonic()
                received = b""
                while chunk := sock.recv(65536):  # b"" once the server closes; 10s bound
                    received += chunk
                assert time.monotonic() - started < 5
                assert received.startswith(heard) and (heard or not received)
                if heard:
                    assert b'"code": "request_timeout"' in received
    finally:
        server.stop()


@pytest.mark.parametrize("leaves", ["closes", "stops sending"])
def test_a_client_that_leaves_mid_body_is_counted_and_closed_without_a_traceback(
    server, leaves, capfd, caplog
):
    """Headers and part of the body, then the client goes: a short read is a disconnect, not
    a malformed body; nothing is answered, nothing is logged as an error, it is counted."""
    import socket
    import time

    caplog.set_level("DEBUG", logger="modelforge.serve")
    part = b'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"model"'
    started = time.monotonic()
    with socket.create_connection(server.httpd.server_address[:2], timeout=10) as sock:
        sock.sendall(part)
        if leaves == "stops sending":
            sock.shutdown(socket.SHUT_WR)
            assert sock.recv(65536) == b""  # the server closes and writes nothing back
    while server.httpd.counters["client_disconnects"] == 0 and time.monotonic() - started < 5:
        time.sleep(0.02)

    assert server.httpd.counters["client_disconnects"] == 1
    assert time.monotonic() - started < 5
    listed = request(server.url, "GET", "/admin/adapters").json()["counters"]
    assert listed["client_disconnects"] == 1
    assert "Traceback" not in capfd.readouterr().err
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "WARNING")]
    assert not [r for r in caplog.records if r.exc_info]
