"""GGUF files (llama.cpp, Ollama, LM Studio) made into standard Hugging Face model folders under
the data directory, so every stage loads them like any other base: safetensors weights, the
tokenizer with its chat template, and a record of where they came from.

transformers reads GGUF through the `gguf` package and dequantises it to float; a model loaded
that way refuses save_pretrained (its config still says "quantised with gguf"), so the weights
are moved into a model built from the plain config and saved from there.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelforge.errors import ModelforgeError
from modelforge.hf_models import RECORD, bases_dir

DTYPES = ("float32", "bfloat16")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class ImportFailed(ModelforgeError):
    """The file could not be imported; nothing was written."""


@dataclass(frozen=True)
class GGUFInfo:
    """What the file's header says, read without its tensors."""

    architecture: str
    quant_type: str
    name: str | None
    tensors: int


def inspect(file: Path) -> GGUFInfo:
    """The header of a GGUF file; ImportFailed when it is not one transformers can load."""
    from gguf import GGUFReader, LlamaFileType

    try:
        reader = GGUFReader(file)
        fields = reader.fields
        architecture = str(fields["general.architecture"].contents())
        name = fields["general.name"].contents() if "general.name" in fields else None
        tensors = len(reader.tensors)
    except KeyError as missing:
        raise ImportFailed(f"{file}: not a GGUF model (no {missing} in its header)") from None
    except Exception as exc:  # noqa: BLE001 - a damaged file raises anything from numpy or struct
        raise ImportFailed(f"{file}: not a readable GGUF file ({_reason(exc)})") from None
    if "general.file_type" in fields:
        code = int(fields["general.file_type"].contents())
        try:
            quant_type = LlamaFileType(code).name.removeprefix("MOSTLY_").removeprefix("ALL_")
        except ValueError:
            quant_type = f"file type {code}"
    else:  # older writers leave it out: name the tensors' most common type
        kinds = [t.tensor_type.name for t in reader.tensors]
        quant_type = max(set(kinds), key=kinds.count) if kinds else "unknown"
    from transformers.modeling_gguf_pytorch_utils import GGUF_SUPPORTED_ARCHITECTURES

    if architecture not in GGUF_SUPPORTED_ARCHITECTURES:
        raise ImportFailed(
            f"{file}: architecture '{architecture}' is not one transformers can load from GGUF "
            f"(supported: {', '.join(sorted(GGUF_SUPPORTED_ARCHITECTURES))})"
        )
    return GGUFInfo(architecture, quant_type, name, tensors)


def default_name(file: Path) -> str:
    """A base name from the file name: `SmolLM2-135M-Instruct.Q4_1.gguf` → `smollm2-135m-instruct`."""
    stem = file.name.removesuffix(".gguf")
    stem = re.sub(r"[.-](?:I?Q\d\w*|F16|F32|BF16)$", "", stem, flags=re.IGNORECASE)
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-.") or "imported"


def check_name(name: str) -> str:
    if not _NAME.match(name) or name.startswith("embedded"):
        raise ModelforgeError(
            f"base name '{name}' is not allowed: letters, digits, '.', '_' and '-', not starting "
            "with 'embedded' (the embedded bases' prefix)"
        )
    return name


def import_gguf(
    file: Path,
    data_dir: Path,
    name: str | None = None,
    dtype: str = "float32",
    *,
    replace: bool = False,
    source: str | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Convert FILE into `<data_dir>/base_models/NAME` and return its record. ImportFailed (one
    line naming the file and the reason) when it cannot; nothing is left behind then. `source`
    says where the file came from when it is not the file itself (a package, an Ollama store);
    `details` are kept in the record's source (an Ollama model's template and parameters)."""
    from modelforge.artifacts import TargetExists, atomic_path

    file = Path(file).expanduser()
    if not file.is_file():
        raise ImportFailed(f"{file}: no such file")
    if dtype not in DTYPES:
        raise ModelforgeError(f"dtype '{dtype}' is not one of {', '.join(DTYPES)}")
    name = check_name(name or default_name(file))
    target = bases_dir(data_dir) / name
    if (target / RECORD).exists() and not replace:
        raise ModelforgeError(
            f"a base named '{name}' is already imported at {target}; pass --replace to make it "
            "again, or --name to keep both"
        )
    info = inspect(file)
    digest = file_sha256(file)
    started = time.monotonic()
    try:
        with atomic_path(target) as scratch:
            parameters = _convert(file, scratch, dtype)
            record = {
                "kind": "imported",
                "name": name,
                "source": {
                    "file": file.name if source else str(file.resolve()),
                    "from": source or str(file.resolve()),
                    "sha256": digest,
                    "size_bytes": file.stat().st_size,
                    "quant_type": info.quant_type,
                    "architecture": info.architecture,
                    "model_name": info.name,
                    **(details or {}),
                },
                "parameters": parameters,
                "dtype": dtype,
                "imported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "seconds": round(time.monotonic() - started, 1),
            }
            (scratch / RECORD).write_text(json.dumps(record, indent=2))
    except (ModelforgeError, TargetExists):
        raise
    except Exception as exc:  # noqa: BLE001 - transformers' GGUF reader fails in many ways
        raise ImportFailed(f"{file}: could not be converted ({_reason(exc)})") from None
    return {**record, "path": str(target)}


def _convert(file: Path, folder: Path, dtype: str) -> int:
    """Write the model (dequantised, in dtype) and its tokenizer into folder; its parameters."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM
    from transformers.utils import logging as hf_logging

    from modelforge.hf_models import load_gguf

    hf_logging.disable_progress_bar()
    where, gguf_file = str(file.parent), file.name
    loaded, tokenizer = load_gguf(file, "float32")
    state = loaded.state_dict()
    del loaded
    config = AutoConfig.from_pretrained(where, gguf_file=gguf_file)
    if hasattr(config, "quantization_config"):
        del config.quantization_config
    config.dtype = dtype
    model = AutoModelForCausalLM.from_config(config, dtype=getattr(torch, dtype))
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [key for key in missing if key not in _tied(model)]
    if missing or unexpected:
        raise ImportFailed(
            f"{file}: weights do not match the {config.model_type} config (missing "
            f"{', '.join(missing[:3]) or 'none'}; unexpected {', '.join(unexpected[:3]) or 'none'})"
        )
    model.to(getattr(torch, dtype))
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return int(model.num_parameters())


def _tied(model) -> set[str]:
    """Weights that are the same tensor as another (an output head tied to the embeddings)."""
    if getattr(model.config, "tie_word_embeddings", False):
        return {"lm_head.weight"}
    return set()


def file_sha256(file: Path) -> str:
    """The file's sha256, read in blocks (GGUF files run to gigabytes)."""
    digest = hashlib.sha256()
    with file.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def records(data_dir: Path) -> list[dict[str, Any]]:
    """Every base under the data directory, imported or embedded, oldest first."""
    found = []
    for file in sorted(bases_dir(data_dir).glob(f"*/{RECORD}")):
        try:
            record = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        folder = file.parent
        if record.get("kind") != "imported":  # the embedded bases' record has their recipe
            recipe = record.get("recipe") or {}
            record = {
                "kind": "embedded",
                "name": folder.name,
                "source": {"model_type": (recipe.get("model_type") or [None])[0]},
                "parameters": record.get("parameters"),
                "dtype": "float32",
                "imported_at": None,
                "seconds": record.get("seconds"),
            }
        found.append({**record, "path": str(folder), "made": file.stat().st_mtime})
    return sorted(found, key=lambda r: r["made"])
