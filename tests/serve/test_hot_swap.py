"""Adapters loaded, swapped, evicted and unloaded while requests are in flight: none fails, and
every answer is the one its model gives alone, so no swap ever changed weights under a request."""

from __future__ import annotations

import shutil
import threading

import pytest
from modelforge_serve.settings import ServeSettings

from modelforge.registry import register_model

from .raw_http import request

HI = [{"role": "user", "content": "hi"}]
MODELS = ("tiny-base", "tiny-a", "tiny-b", "tiny-c")


@pytest.fixture
def two_slots(app):
    app.config.sections["serve"] = ServeSettings(max_resident_adapters=2)


def admin(server, action: str, model: str) -> dict:
    import json

    answer = request(
        server.url, "POST", "/admin/adapters", json.dumps({"action": action, "model": model})
    )
    assert answer.status == 200, answer.text
    return answer.json()


def say(client, model: str, stream: bool = False) -> str:
    options = {"model": model, "messages": HI, "max_tokens": 6, "temperature": 0}
    if stream:
        return "".join(
            c.choices[0].delta.content or ""
            for c in client.chat.completions.create(stream=True, **options)
            if c.choices
        )
    return client.chat.completions.create(**options).choices[0].message.content


def test_swaps_under_load_fail_no_request(two_slots, client, server, app, registered, tmp_path):
    alone = {model: say(client, model) for model in MODELS}
    # tiny-b will be re-pointed at a copy of tiny-c's folder mid-run (a new version of it)
    allowed = {m: {alone[m]} for m in MODELS} | {"tiny-b": {alone["tiny-b"], alone["tiny-c"]}}
    failures, answers = [], []

    def client_loop(offset: int) -> None:
        for turn in range(offset, offset + 6):
            model = MODELS[turn % len(MODELS)]
            try:
                answers.append((model, say(client, model, stream=turn % 2 == 0)))
            except Exception as exc:  # noqa: BLE001 - any failure at all is what is counted
                failures.append(f"{model}: {exc!r}")

    shutil.copytree(registered["tiny-c"], tmp_path / "tiny-b-v2")
    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    rounds = 0
    while rounds == 0 or any(thread.is_alive() for thread in threads):
        admin(server, "load", "tiny-a")
        admin(server, "load", "tiny-c")  # two slots: one of the others is evicted
        register_model(
            app.db,
            "tiny-b",
            "local",
            path=str(tmp_path / "tiny-b-v2"),
            adapter=True,
            base="tiny-base",
            lineage={"stages": ["srl", "rlvr"]},
        )
        admin(server, "load", "tiny-b")  # refreshed from its new folder by a hot swap
        admin(server, "unload", "tiny-a")
        admin(server, "load", "tiny-mlp")  # other target modules: no hot swap, slot reloaded
        admin(server, "unload", "tiny-mlp")
        register_model(
            app.db,
            "tiny-b",
            "local",
            path=str(registered["tiny-b"]),
            adapter=True,
            base="tiny-base",
            lineage={"stages": ["srl", "rlvr"]},
        )
        rounds += 1
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len(answers) == 24
    assert [(m, a) for m, a in answers if a not in allowed[m]] == []
    counters = server.pool.listing()["counters"]
    assert counters["hot_swaps"] >= 1 and counters["adapter_evictions"] >= 1
    resident = [a["model"] for b in server.pool.listing()["bases"] for a in b["adapters"]]
    assert len(resident) <= 2
