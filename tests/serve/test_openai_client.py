"""The official openai client against the running server: models, chat, streaming, routing."""

from __future__ import annotations

import pytest
from openai import NotFoundError
from sqlmodel import select

from modelforge import hookimpl
from modelforge.models import Event
from modelforge.registry import get_model

HI = [{"role": "user", "content": "hi"}]


def test_models_lists_servable_models_only(client):
    ids = [model.id for model in client.models.list().data]
    assert ids == ["tiny-base", "tiny-a", "tiny-b", "tiny-c", "tiny-mlp"]  # not tiny-old


def test_chat_names_the_model_and_counts_tokens(client, server, app):
    answer = client.chat.completions.create(
        model="tiny-a", messages=HI, max_tokens=6, temperature=0
    )
    assert answer.model == "tiny-a"
    assert answer.choices[0].finish_reason == "length"
    assert answer.usage.prompt_tokens == 3 and answer.usage.completion_tokens == 6
    server.recorder.flush()
    entry = get_model(app.db, "tiny-a")
    assert entry.requests == 1 and entry.tokens == 9 and entry.latency_ms > 0
    assert entry.cpu_seconds_per_1k_tokens is not None
    with app.db.session() as session:
        event = session.exec(select(Event).where(Event.kind == "serve.request")).one()
    assert event.data["model"] == "tiny-a" and event.data["tokens"] == 9


def test_adapters_and_base_answer_differently(client):
    def say(model):
        return (
            client.chat.completions.create(model=model, messages=HI, max_tokens=8, temperature=0)
            .choices[0]
            .message.content
        )

    answers = {model: say(model) for model in ("tiny-base", "tiny-a", "tiny-b")}
    assert len(set(answers.values())) == 3
    assert say("tiny-a") == answers["tiny-a"]  # switching back restores the adapter


def test_stream_matches_the_whole_answer(client):
    whole = client.chat.completions.create(model="tiny-b", messages=HI, max_tokens=8, temperature=0)
    chunks = list(
        client.chat.completions.create(
            model="tiny-b",
            messages=HI,
            max_tokens=8,
            temperature=0,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == whole.choices[0].message.content
    assert {c.model for c in chunks} == {"tiny-b"}
    assert chunks[-2].choices[0].finish_reason == "length"
    assert chunks[-1].usage.completion_tokens == 8


def test_stop_sequence_is_left_out(client):
    whole = (
        client.chat.completions.create(model="tiny-a", messages=HI, max_tokens=8, temperature=0)
        .choices[0]
        .message.content
    )
    stop = whole[2:4]
    cut = client.chat.completions.create(
        model="tiny-a", messages=HI, max_tokens=8, temperature=0, stop=stop
    )
    assert cut.choices[0].message.content == whole[: whole.index(stop)]
    assert cut.choices[0].finish_reason == "stop"
    streamed = client.chat.completions.create(
        model="tiny-a", messages=HI, max_tokens=8, temperature=0, stop=stop, stream=True
    )
    assert (
        "".join(c.choices[0].delta.content or "" for c in streamed if c.choices)
        == (whole[: whole.index(stop)])
    )


class Selector:
    @hookimpl
    def choose_model(self, responsibility):
        if responsibility == "arith":
            return {"model": "tiny-b", "reasons": ["best quality for its cost"]}
        return None


@pytest.fixture
def no_selector(plugins):
    """Whatever selector is installed (the evaluate plugin's) is set aside."""
    for impl in plugins.implementations("choose_model"):
        plugins.unregister(impl.plugin_name)


@pytest.fixture
def selector(no_selector, plugins):
    plugins.register(Selector(), name="test-selector")
    yield
    plugins.unregister("test-selector")


def test_auto_asks_the_selector_and_says_who_answered(selector, client, server, app):
    answer = client.chat.completions.create(model="auto:arith", messages=HI, max_tokens=4)
    assert answer.model == "tiny-b"
    assert answer.model_extra["modelforge"] == {
        "requested": "auto:arith",
        "reasons": ["best quality for its cost"],
    }
    server.recorder.flush()
    with app.db.session() as session:
        event = session.exec(select(Event).where(Event.kind == "serve.request")).one()
    assert event.data["requested"] == "auto:arith" and event.data["model"] == "tiny-b"
    with pytest.raises(NotFoundError) as raised:
        client.chat.completions.create(model="auto:sound", messages=HI)
    assert raised.value.body["code"] == "no_model_selected"


class BrokenSelector:
    @hookimpl(tryfirst=True)
    def choose_model(self, responsibility):
        raise RuntimeError(f"selector database gone while choosing for {responsibility}")


def test_a_selector_that_raises_is_recorded_and_passed_over(selector, plugins, client, app):
    plugins.register(BrokenSelector(), name="broken-selector")
    try:
        answer = client.chat.completions.create(model="auto:arith", messages=HI, max_tokens=4)
    finally:
        plugins.unregister("broken-selector")
    assert answer.model == "tiny-b"  # the next selector answered
    with app.db.session() as session:
        event = session.exec(select(Event).where(Event.kind == "plugin.hook_failed")).one()
    assert event.level == "error"
    assert event.message == (
        "plugin 'broken-selector' failed in choose_model: RuntimeError: selector database gone "
        "while choosing for arith"
    )


def test_auto_without_a_selector_is_a_clear_404(no_selector, client):
    with pytest.raises(NotFoundError) as raised:
        client.chat.completions.create(model="auto:arith", messages=HI)
    assert raised.value.body["code"] == "no_selector"
    assert "no selector plugin" in raised.value.body["message"]


def test_health(server):
    from .raw_http import request

    assert request(server.url, "GET", "/health").json()["status"] == "ok"
