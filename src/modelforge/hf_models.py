"""Hugging Face causal LMs, loaded one way by every stage: a local folder, a hub id, a base
imported under the data directory by name (`modelforge base import`), or a peft adapter on any
of them.

torch, transformers and peft are imported inside the functions: the CLI's help, status, the
checklist and the TUI import this module's callers without paying for them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

BASES_DIR = "base_models"  # under the data directory: embedded and imported bases
RECORD = "modelforge_base.json"  # in every base folder: how it was made
ADAPTER_CONFIG = "adapter_config.json"


def bases_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BASES_DIR


def imported_base(name: str, data_dir: Path | None = None) -> Path | None:
    """The folder of a base imported (or made) under the data directory as NAME, or None."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    for home in _homes(data_dir):
        folder = bases_dir(home) / name
        if (folder / RECORD).is_file():
            return folder
    return None


def _homes(data_dir: Path | None) -> list[Path]:
    """The data directory given, else the one flag-less commands would use."""
    if data_dir is not None:
        return [Path(data_dir)]
    from modelforge.config import DEFAULT_HOME, resolve_home

    home, _ = resolve_home(None)
    return [home or DEFAULT_HOME.expanduser()]


def resolve(source: str, data_dir: Path | None = None) -> str:
    """What from_pretrained reads for `source`: an existing path (absolute), an imported base's
    folder for its name, else `source` itself (a hub id)."""
    path = Path(source).expanduser()
    if path.exists():
        return str(path.resolve())
    folder = imported_base(source, data_dir)
    return str(folder.resolve()) if folder else source


def is_adapter(folder: str | Path) -> bool:
    return (Path(folder) / ADAPTER_CONFIG).is_file()


def adapter_base(folder: str | Path) -> str | None:
    """The base a peft adapter folder was trained on, as its config names it."""
    try:
        config = json.loads((Path(folder) / ADAPTER_CONFIG).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return config.get("base_model_name_or_path")


def load_tokenizer(source: str, data_dir: Path | None = None):
    """The tokenizer of `source` (resolved as `resolve` does), with a pad token."""
    from transformers import AutoTokenizer

    return with_pad(AutoTokenizer.from_pretrained(resolve(source, data_dir)))


def with_pad(tokenizer):
    """Batches need a pad token; a model without one pads with its end-of-text token."""
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_gguf(file: Path, dtype: str | None, device: str | None = None) -> tuple[Any, Any]:
    """(model, tokenizer) of a GGUF file read by transformers, dequantised: what an evaluation
    scores of a registered GGUF, and what `base import` converts."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    options = {} if dtype is None else {"dtype": dtype}
    where = str(file.parent)
    model = AutoModelForCausalLM.from_pretrained(where, gguf_file=file.name, **options)
    tokenizer = AutoTokenizer.from_pretrained(where, gguf_file=file.name)
    if device is not None:
        model.to(device)
    return model, tokenizer


def load_causal_lm(
    source: str,
    *,
    adapter: str | None = None,
    data_dir: Path | None = None,
    dtype: str | None = None,
    device: str | None = None,
    trainable: bool = False,
) -> tuple[Any, Any]:
    """(model, tokenizer) for `source`: a full model (folder, hub id or imported base name) or
    a peft adapter folder, whose base is loaded first. `adapter` puts that adapter folder on
    `source`. The tokenizer saved beside an adapter is preferred (trainers save one). dtype
    ("auto", "float32", "bfloat16", ...) defaults to transformers' choice; the adapter is
    trainable only with `trainable`."""
    from transformers import AutoModelForCausalLM

    if source.endswith(".gguf") and Path(source).is_file() and adapter is None:
        return load_gguf(Path(source), dtype, device)
    base = resolve(source, data_dir)
    if adapter is None and is_adapter(base):
        adapter, named = base, adapter_base(base)
        if not named:
            from modelforge.errors import ModelforgeError

            raise ModelforgeError(f"adapter {base} names no base model in {ADAPTER_CONFIG}")
        base = resolve(named, data_dir)
    elif adapter is not None:
        adapter = resolve(adapter, data_dir)
    options = {} if dtype is None else {"dtype": dtype}
    model = AutoModelForCausalLM.from_pretrained(base, **options)
    tokenizer_from = (
        adapter if adapter and (Path(adapter) / "tokenizer_config.json").is_file() else base
    )
    tokenizer = load_tokenizer(tokenizer_from)
    if adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter, is_trainable=trainable)
    if device is not None:
        model.to(device)
    return model, tokenizer
