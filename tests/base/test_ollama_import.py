"""`modelforge base import ollama:NAME[:TAG]` against an Ollama store the test lays out itself,
as Ollama does: manifests/registry.ollama.ai/library/NAME/TAG and blobs/sha256-<hex>."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from modelforge.registry import get_model

from .tiny_gguf import write_tiny_gguf

TEMPLATE = "{{ range .Messages }}<|im_start|>{{ .Role }}\n{{ .Content }}<|im_end|>\n{{ end }}"
PARAMS = {"stop": ["<|im_end|>"], "temperature": 0.2}


def blob(store: Path, data: bytes) -> str:
    hexdigest = hashlib.sha256(data).hexdigest()
    (store / "blobs").mkdir(parents=True, exist_ok=True)
    (store / "blobs" / f"sha256-{hexdigest}").write_bytes(data)
    return f"sha256:{hexdigest}"


def lay_out(store: Path, name: str, tag: str, layers: dict[str, bytes]) -> None:
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
        "config": {"mediaType": "application/vnd.docker.container.image.v1+json",
                   "digest": blob(store, b"{}"), "size": 2},
        "layers": [
            {"mediaType": f"application/vnd.ollama.image.{kind}", "digest": blob(store, data),
             "size": len(data)}
            for kind, data in layers.items()
        ],
    }  # fmt: skip
    folder = store / "manifests" / "registry.ollama.ai" / "library" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / tag).write_text(json.dumps(manifest))


@pytest.fixture
def store(tmp_path, monkeypatch):
    store = tmp_path / "ollama-models"
    gguf = tmp_path / "tiny.gguf"
    written = write_tiny_gguf(gguf)
    lay_out(
        store,
        "tiny",
        "1b",
        {"model": gguf.read_bytes(), "template": TEMPLATE.encode(),
         "params": json.dumps(PARAMS).encode()},
    )  # fmt: skip
    monkeypatch.setenv("OLLAMA_MODELS", str(store))
    return store, gguf, written


def test_imports_a_model_from_the_store(invoke, app, home, store):
    _, gguf, written = store
    result = invoke("base", "import", "ollama:tiny:1b", "--json")
    assert result.exit_code == 0, result.output
    record = json.loads(result.stdout)
    assert record["name"] == "tiny-1b"
    assert record["path"] == str(home / "base_models" / "tiny-1b")
    source = record["source"]
    assert source["from"] == "ollama:tiny:1b"
    assert source["sha256"] == hashlib.sha256(gguf.read_bytes()).hexdigest()
    assert (source["template"], source["parameters"]) == (TEMPLATE, PARAMS)
    assert get_model(app.db, "tiny-1b").path == record["path"]

    from modelforge.hf_models import load_causal_lm

    model, _ = load_causal_lm("tiny-1b", data_dir=home)
    assert model.model.embed_tokens.weight.detach().numpy().tolist() == (
        written["embedding"].tolist()
    )
    said = invoke("base", "import", "ollama:tiny:1b", "--name", "again").stdout
    assert said.startswith("imported again") and "from ollama:tiny:1b" in said


def leftovers(home: Path) -> list[str]:
    folder = home / "base_models"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def refused(invoke, home, reference: str, *words: str) -> None:
    result = invoke("base", "import", reference)
    assert result.exit_code == 1, result.output
    said = result.output.strip()
    assert len(said.splitlines()) == 1, said
    for word in words:
        assert word in said, said
    assert leftovers(home) == []


def test_a_model_not_in_the_store(invoke, home, store):
    refused(invoke, home, "ollama:tiny", "ollama:tiny:latest is not in the Ollama store")
    refused(invoke, home, "ollama:other:1b", "ollama:other:1b is not in the Ollama store")


def test_a_manifest_without_a_model_layer(invoke, home, store):
    lay_out(store[0], "notes", "latest", {"template": TEMPLATE.encode()})
    refused(invoke, home, "ollama:notes", "has no model (GGUF) layer")


def test_a_blob_that_does_not_match_its_digest(invoke, home, store):
    store_dir, gguf, _ = store
    digest = hashlib.sha256(gguf.read_bytes()).hexdigest()
    target = store_dir / "blobs" / f"sha256-{digest}"
    data = bytearray(target.read_bytes())
    data[-1] ^= 0xFF  # one flipped bit in the last tensor
    target.write_bytes(bytes(data))
    refused(invoke, home, "ollama:tiny:1b", f"sha256-{digest}", "does not match its digest")


def test_a_missing_blob_and_a_bad_name(invoke, home, store):
    store_dir, gguf, _ = store
    (store_dir / "blobs" / f"sha256-{hashlib.sha256(gguf.read_bytes()).hexdigest()}").unlink()
    refused(invoke, home, "ollama:tiny:1b", "is missing from")
    refused(invoke, home, "ollama:../x", "not an Ollama model name")
