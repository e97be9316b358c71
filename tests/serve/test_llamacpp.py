"""GGUF models answered by llama.cpp through the same OpenAI routes: a trained adapter exported
to GGUF must answer exactly as transformers answers with the adapter on its base (a different
runtime is the oracle), streamed or whole, routed by name or by `auto:`."""

from __future__ import annotations

import json
import os
from importlib.util import find_spec

import pytest
from openai import BadRequestError

from modelforge import hookimpl
from modelforge.model_export import export
from modelforge.registry import get_model
from tests.base import tiny_trained
from tests.base.tiny_gguf import write_tiny_gguf

# CI installs the extra (the README's test command), so there a missing llama_cpp fails
pytestmark = pytest.mark.skipif(
    find_spec("llama_cpp") is None and not os.environ.get("CI"),
    reason="llama-cpp-python (the [llamacpp] extra, built from source) is not installed",
)

ADAPTER = "arith/cycle-1/rlvr"
GGUF = f"{ADAPTER}-gguf-f32"


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return tiny_trained.build(tmp_path_factory.mktemp("trained"))


@pytest.fixture
def registered(app, trained):
    """The serve fixtures' registry: the adapter (transformers) and its f32 export (llama.cpp)."""
    tiny_trained.register(app.db, trained, ADAPTER)
    done = export(app.db, app.config.data_dir, ADAPTER, "gguf", "f32", register=True)
    assert done["registered"] == GGUF
    return done


def ask(client, model, content, **options):
    answer = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": content}],
        max_tokens=options.pop("max_tokens", 24),
        temperature=0,
        **options,
    )
    return answer


def test_the_export_is_registered_with_its_training_lineage(app, registered):
    entry = get_model(app.db, GGUF)
    assert entry.path == registered["path"] and entry.path.endswith(".gguf")
    assert entry.srl_rlvr and entry.status == "candidate"
    assert entry.lineage["exported_from"] == ADAPTER and entry.lineage["type"] == "f32"
    assert entry.artifact_id == registered["artifact_id"]


def test_llama_cpp_answers_as_transformers_does_with_the_adapter(client):
    prompts = [p.removesuffix("\n") for p in tiny_trained.prompts()]
    for prompt in prompts:
        expected = ask(client, ADAPTER, prompt)
        got = ask(client, GGUF, prompt)
        assert got.model == GGUF
        assert got.choices[0].message.content == expected.choices[0].message.content, prompt
        assert got.usage.prompt_tokens == expected.usage.prompt_tokens
        assert got.usage.completion_tokens == expected.usage.completion_tokens
        assert got.choices[0].finish_reason == expected.choices[0].finish_reason
    # the trained model writes its format's words: the comparison is not empty against empty
    assert "column" in ask(client, GGUF, prompts[0]).choices[0].message.content


def test_a_stream_carries_the_same_text_in_pieces(client):
    prompt = tiny_trained.prompts()[1].removesuffix("\n")
    whole = ask(client, GGUF, prompt).choices[0].message.content
    chunks = list(
        client.chat.completions.create(
            model=GGUF,
            messages=[{"role": "user", "content": prompt}],
            max_tokens=24,
            temperature=0,
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta]
    texts = [p for p in pieces if p]
    assert "".join(texts) == whole and len(texts) > 3  # streamed, not one block
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finishes[-1] in ("stop", "length")
    assert chunks[-1].usage.completion_tokens > 0


def test_a_stop_sequence_cuts_as_it_does_under_transformers(client):
    prompt = tiny_trained.prompts()[0].removesuffix("\n")
    assert "\n" in ask(client, GGUF, prompt).choices[0].message.content
    expected = ask(client, ADAPTER, prompt, stop=["\n"])
    got = ask(client, GGUF, prompt, stop=["\n"])
    assert got.choices[0].message.content == expected.choices[0].message.content
    assert got.choices[0].message.content and "\n" not in got.choices[0].message.content
    assert got.choices[0].finish_reason == expected.choices[0].finish_reason == "stop"
    assert got.usage.completion_tokens == expected.usage.completion_tokens < 24  # halted there


class GGUFSelector:
    @hookimpl(tryfirst=True)
    def choose_model(self, responsibility):
        return (
            {"model": GGUF, "reasons": ["cheapest on CPU"]} if responsibility == "arith" else None
        )


def test_auto_routes_to_a_gguf_model_and_the_admin_listing_shows_it(
    plugins, client, server, registered
):
    from .raw_http import request

    plugins.register(GGUFSelector(), name="gguf-selector")
    try:
        answer = ask(client, "auto:arith", "12+30=")
    finally:
        plugins.unregister("gguf-selector")
    assert answer.model == GGUF
    assert answer.model_extra["modelforge"]["reasons"] == ["cheapest on CPU"]
    listing = request(server.url, "GET", "/admin/adapters").json()
    assert {"base": registered["path"], "backend": "llamacpp", "adapters": []} in listing["bases"]
    assert listing["counters"]["gguf_loads"] == 1
    resident = {m.id: m.model_extra["resident"] for m in client.models.list().data}
    assert resident[GGUF] is True


def test_without_llama_cpp_a_gguf_model_is_refused_in_one_line(client, monkeypatch):
    from modelforge_serve import routing

    monkeypatch.setattr(routing, "find_spec", lambda name: None)
    with pytest.raises(BadRequestError) as raised:
        ask(client, GGUF, "12+30=")
    assert raised.value.body["code"] == "model_not_served"
    assert "pip install 'modelforge[llamacpp]'" in raised.value.body["message"]


def test_an_imported_chat_gguf_is_prompted_with_its_template(invoke, app, tmp_path, client):
    """A GGUF with a ChatML template (written by the test), registered as it is: llama.cpp must
    read the text transformers renders from the same template, and answer as transformers'
    reading of the same file does from those tokens."""
    import torch
    from llama_cpp import Llama
    from transformers import AutoModelForCausalLM, AutoTokenizer

    file = tmp_path / "Tiny.F32.gguf"
    write_tiny_gguf(file)
    result = invoke("models", "import", str(file), "--name", "tiny-chat", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "must_retrain"

    model = AutoModelForCausalLM.from_pretrained(str(tmp_path), gguf_file=file.name).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(tmp_path), gguf_file=file.name)
    messages = [{"role": "user", "content": "12 + 12"}]
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    assert text.endswith("<|im_start|>assistant\n")
    # the test file's merges are read differently by the two tokenizers; its llama.cpp ids
    ids = Llama(str(file), n_ctx=128, verbose=False).tokenize(text.encode(), special=True)
    with torch.no_grad():
        out = model.generate(torch.tensor([ids]), max_new_tokens=12, do_sample=False)
    expected = tokenizer.decode(out[0, len(ids) :], skip_special_tokens=True)

    got = ask(client, "tiny-chat", "12 + 12", max_tokens=12)
    assert got.usage.prompt_tokens == len(ids)
    assert got.choices[0].message.content == expected


def test_importing_a_file_that_is_not_gguf_fails_in_one_line(invoke, tmp_path):
    fake = tmp_path / "notes.gguf"
    fake.write_text("not a model")
    result = invoke("models", "import", str(fake))
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0 and "not a" in result.output


def test_a_quantised_export_is_answered(app, client):
    """q8_0: on a CPU with AMX in a VM, llama.cpp's repacked buffers crashed the process at the
    first token (measured here); with `[serve.llamacpp] repack = false` it answers."""
    done = export(app.db, app.config.data_dir, ADAPTER, "gguf", "q8_0", register=True)
    for prompt in tiny_trained.prompts()[:3]:
        answer = ask(client, done["registered"], prompt.removesuffix("\n"))
        assert answer.usage.completion_tokens > 0
        assert "column" in answer.choices[0].message.content


def test_every_request_runs_on_the_models_own_thread(client, server, monkeypatch):
    """llama.cpp's worker pool belongs to the thread that calls it: called from each
    connection's thread, generation ran at half speed (bench/serve_load.py). Two clients (two
    connections, two handler threads) must reach it through one thread."""
    import threading

    from modelforge_serve import llamacpp
    from openai import OpenAI

    seen = []
    original = llamacpp.sample

    def recorded(*args):
        seen.append(threading.get_ident())
        return original(*args)

    monkeypatch.setattr(llamacpp, "sample", recorded)
    other = OpenAI(base_url=f"{server.url}/v1", api_key="x", max_retries=0, timeout=60)
    for each in (client, other, client, other):
        ask(each, GGUF, "12+30=", max_tokens=4)
    assert len(seen) == 4 and len(set(seen)) == 1
    assert seen[0] != threading.get_ident()
