"""Remote roles against a fake chat server on 127.0.0.1: success, garbage, retries, timeouts, keys."""

import pytest
from modelforge_generate.backends import BackendError, build
from modelforge_generate.batch import run_batch
from modelforge_generate.roles import build_roles
from modelforge_generate.settings import BackendSettings, GenerateSettings

from modelforge.errors import ModelforgeError
from modelforge.examples import ExampleStore
from modelforge.plugins import model_types

SECRET = "sk-test-very-secret-123456"


def _config(fake, backend="openai-compatible", **settings):
    section = BackendSettings(
        **{"base_url": fake.url, "timeout_s": 5.0, "max_retries": 2, **settings}
    )
    return GenerateSettings(seed=7, backends={backend: section})


def _batch(app, config, roles, n):
    arith = model_types(app.plugins)["arith"]
    return run_batch(app.db, arith, build_roles(arith, config, roles), config, n)


def test_a_remote_teacher_writes_verified_trajectories(app, fake_chat, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    config = _config(fake_chat, base_url=fake_chat.url + "/v1")
    report = _batch(app, config, {"teacher": "openai-compatible:fake-model"}, 6)
    assert report.accepted == 6
    assert fake_chat.requests[0]["path"] == "/v1/chat/completions"
    assert fake_chat.requests[0]["headers"]["authorization"] == f"Bearer {SECRET}"
    [example] = ExampleStore(app.db).draw("arith", 1, served_to="t")
    assert example.provenance["roles"]["teacher"] == {
        "backend": "openai-compatible",
        "model": "fake-model",
    }
    app.db.engine.dispose()
    assert SECRET.encode() not in b"".join(
        p.read_bytes() for p in app.db.path.parent.glob("modelforge.db*")
    )


def test_garbage_is_a_counted_rejection_after_the_retries(app, fake_chat):
    fake_chat.reply = lambda prompt, system: "I think the answer is 42!"
    report = _batch(app, _config(fake_chat), {"teacher": "openai-compatible:m"}, 2)
    assert report.accepted == 0
    assert report.rejected == {"unparseable": 10}
    assert len(fake_chat.requests) == 30  # 10 examples x (1 try + 2 sent back)
    sent_back = [
        r for r in fake_chat.requests if "was rejected" in r["body"]["messages"][-1]["content"]
    ]
    assert len(sent_back) == 20


def test_429_and_5xx_are_retried_with_backoff(app, fake_chat):
    fake_chat.failures = [(429, {"Retry-After": "0"}), (503, {}), (500, {})]
    report = _batch(app, _config(fake_chat, max_retries=3), {"teacher": "openai-compatible:m"}, 1)
    assert report.accepted == 1
    assert len(fake_chat.requests) == 4


def test_a_timeout_rejects_with_the_role_named(app, fake_chat):
    fake_chat.delay_s = 1.0
    config = _config(fake_chat, timeout_s=0.2, max_retries=0)
    config.attempts_per_example = 1
    report = _batch(app, config, {"teacher": "openai-compatible:m"}, 2)
    assert report.rejected == {"backend-error:teacher": 2}
    assert ExampleStore(app.db).stats("arith")["total"]["stored"] == 0


def test_a_model_verifier_objects_and_the_teacher_is_asked_again(app, fake_chat, expert_answer):
    verdicts = iter(["REJECT: column 1 looks odd", "ACCEPT", "maybe?"] + ["ACCEPT"] * 10)
    fake_chat.reply = lambda prompt, system: (
        next(verdicts) if system.startswith("You check") else expert_answer(prompt)
    )
    config = _config(fake_chat)
    config.attempts_per_example = 1
    report = _batch(
        app, config, {"teacher": "openai-compatible:t", "verifier": "openai-compatible:v"}, 3
    )
    assert report.accepted == 3
    teacher_prompts = [
        r["body"]["messages"][-1]["content"]
        for r in fake_chat.requests
        if r["body"]["model"] == "t"
    ]
    assert any("column 1 looks odd" in p for p in teacher_prompts)
    assert report.rejected == {}  # "maybe?" was sent back, then accepted


def test_a_context_role_adds_notes_to_the_teachers_prompt(app, fake_chat, expert_answer):
    fake_chat.reply = lambda prompt, system: (
        "NOTE: carry the tens" if system.startswith("You prepare") else expert_answer(prompt)
    )
    report = _batch(
        app,
        _config(fake_chat),
        {"context": "openai-compatible:c", "teacher": "openai-compatible:t"},
        1,
    )
    assert report.accepted == 1
    assert "NOTE: carry the tens" in fake_chat.requests[1]["body"]["messages"][-1]["content"]


def test_anthropic_backend_through_its_sdk(app, fake_chat, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    report = _batch(app, _config(fake_chat, "anthropic"), {"teacher": "anthropic:claude-fake"}, 2)
    assert report.accepted == 2
    assert fake_chat.requests[0]["path"] == "/v1/messages"
    headers = fake_chat.requests[0]["headers"]
    assert SECRET in (headers.get("x-api-key", "") + headers.get("authorization", ""))


def test_gemini_backend_through_its_sdk(app, fake_chat, monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", SECRET)
    report = _batch(app, _config(fake_chat, "gemini"), {"teacher": "gemini:gemini-fake"}, 2)
    assert report.accepted == 2
    assert "gemini-fake:generateContent" in fake_chat.requests[0]["path"]


@pytest.mark.parametrize("backend", ["anthropic", "gemini"])
def test_a_missing_key_is_a_message_naming_the_variable(backend, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    with pytest.raises(ModelforgeError, match="_API_KEY"):
        build(backend, "m", BackendSettings())


def test_backend_errors_are_redacted(fake_chat, monkeypatch):
    monkeypatch.setenv("MY_TOKEN", SECRET)
    backend = build(
        "openai-compatible", "m", BackendSettings(base_url=fake_chat.url, max_retries=0)
    )
    fake_chat.failures = [(400, {})]
    backend.client.base_url = f"{fake_chat.url}/{SECRET}/"
    with pytest.raises(BackendError) as caught:
        backend.complete("s", "p")
    assert SECRET not in str(caught.value)
