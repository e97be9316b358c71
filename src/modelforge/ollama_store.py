"""Models in the local Ollama store (`OLLAMA_MODELS`, else ~/.ollama/models) found by name, so
`base import ollama:NAME[:TAG]` takes a base from where a studio already keeps its models.

Ollama keeps a manifest per NAME:TAG (manifests/<registry>/<namespace>/<name>/<tag>, JSON in the
OCI image layout) whose layers point by digest at blobs (blobs/sha256-<hex>): the model layer is
the GGUF file itself; the template and parameters layers are small text and JSON blobs.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelforge.errors import ModelforgeError
from modelforge.gguf_import import file_sha256

PREFIX = "ollama:"
REGISTRY = "registry.ollama.ai"
MODEL_LAYER = "application/vnd.ollama.image.model"
TEMPLATE_LAYER = "application/vnd.ollama.image.template"
PARAMS_LAYER = "application/vnd.ollama.image.params"


@dataclass(frozen=True)
class StoredModel:
    """A model found in the store, its GGUF blob verified against its digest."""

    reference: str  # NAME:TAG as Ollama spells it
    gguf: Path
    digest: str
    template: str | None
    parameters: dict[str, Any] | None


def store_dir() -> Path:
    return Path(os.environ.get("OLLAMA_MODELS") or "~/.ollama/models").expanduser()


def parse(reference: str) -> tuple[list[str], str]:
    """`ollama:NAME[:TAG]` as the manifest path's parts (registry, namespace, name) and tag."""
    spec = reference.removeprefix(PREFIX)
    name, _, tag = spec.partition(":")
    parts = [part for part in name.split("/") if part]
    if not parts or len(parts) > 3 or any(part in (".", "..") for part in parts) or "/" in tag:
        raise ModelforgeError(f"'{reference}' is not an Ollama model name (ollama:NAME[:TAG])")
    if len(parts) == 1:
        parts = ["library", *parts]
    if len(parts) == 2:
        parts = [REGISTRY, *parts]
    return parts, tag or "latest"


def find(reference: str, store: Path | None = None) -> StoredModel:
    """The model `reference` names, its blob's sha256 checked; one-line ModelforgeError if not."""
    store = store or store_dir()
    parts, tag = parse(reference)
    shown = f"{'/'.join(parts[2:] if parts[:2] == [REGISTRY, 'library'] else parts)}:{tag}"
    manifest_file = store.joinpath("manifests", *parts, tag)
    if not manifest_file.is_file():
        raise ModelforgeError(f"ollama:{shown} is not in the Ollama store at {store}")
    try:
        layers = json.loads(manifest_file.read_text(encoding="utf-8"))["layers"]
    except (OSError, ValueError, KeyError, TypeError):
        raise ModelforgeError(f"the manifest of ollama:{shown} is not readable JSON") from None
    by_type = {layer.get("mediaType"): layer.get("digest", "") for layer in layers}
    digest = by_type.get(MODEL_LAYER)
    if not digest:
        raise ModelforgeError(f"the manifest of ollama:{shown} has no model (GGUF) layer")
    gguf = _blob(store, digest, shown)
    actual = file_sha256(gguf)
    if f"sha256:{actual}" != digest:
        raise ModelforgeError(
            f"blob {gguf.name} of ollama:{shown} does not match its digest (its sha256 is {actual})"
        )
    template = by_type.get(TEMPLATE_LAYER)
    params = by_type.get(PARAMS_LAYER)
    return StoredModel(
        reference=shown,
        gguf=gguf,
        digest=digest,
        template=_blob(store, template, shown).read_text(encoding="utf-8") if template else None,
        parameters=_json(_blob(store, params, shown), shown) if params else None,
    )


def default_name(model: StoredModel) -> str:
    """A base name: `smollm2:135m` → `smollm2-135m`, `smollm2:latest` → `smollm2`."""
    name, _, tag = model.reference.rpartition(":")
    name = name.rsplit("/", 1)[-1]
    return name if tag == "latest" else f"{name}-{tag}"


def _blob(store: Path, digest: str, shown: str) -> Path:
    algorithm, _, hexdigest = digest.partition(":")
    if algorithm != "sha256" or not hexdigest.isalnum():
        raise ModelforgeError(f"the manifest of ollama:{shown} names a bad digest '{digest}'")
    blob = store / "blobs" / f"sha256-{hexdigest}"
    if not blob.is_file():
        raise ModelforgeError(f"blob {blob.name} of ollama:{shown} is missing from {store}")
    return blob


def _json(blob: Path, shown: str) -> dict[str, Any]:
    try:
        return json.loads(blob.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise ModelforgeError(f"the parameters of ollama:{shown} are not readable JSON") from None
