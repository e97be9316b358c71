"""The policy a stage starts from: the embedded base, a base imported by name, a Hugging Face
model, or an earlier stage's artifact; LoRA for real models, full training for the embedded one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from modelforge.artifacts import checksum
from modelforge.hf_models import imported_base, is_adapter, load_causal_lm
from modelforge.modeltype import ModelType
from modelforge_train.base_model import BaseModel, embedded_base
from modelforge_train.settings import TrainSettings

EMBEDDED = "embedded"


def resolve_base(
    settings: TrainSettings,
    model_type: ModelType,
    data_dir: Path,
    progress: Callable[[int, int, float], None] | None = None,
) -> BaseModel:
    """The base named in config, with the hash lineage records; the embedded one is the
    type's own, pre-trained on first use (`progress(step, total, loss)` while it is)."""
    if settings.base == EMBEDDED:
        return embedded_base(model_type, settings.embedded, data_dir, progress)
    path = Path(settings.base).expanduser()
    if path.exists():
        return BaseModel(settings.base, str(path.resolve()), checksum(path)[0])
    imported = imported_base(settings.base, data_dir)
    if imported is not None:  # `modelforge base import` / `base fetch`: by name
        return BaseModel(settings.base, str(imported.resolve()), checksum(imported)[0])
    from transformers import AutoConfig

    revision = getattr(AutoConfig.from_pretrained(settings.base), "_commit_hash", None)
    return BaseModel(settings.base, settings.base, revision or "unknown")


def uses_lora(settings: TrainSettings) -> bool:
    return settings.base != EMBEDDED and settings.lora.enabled


def lora_config(settings: TrainSettings):
    from peft import LoraConfig

    lora = settings.lora
    return LoraConfig(
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=lora.target_modules,
        task_type="CAUSAL_LM",
    )


def adapter_to_add(model, settings: TrainSettings):
    """The LoRA config for a new adapter, or None: with LoRA off, and for a model that already
    carries one (the champion's, or SRL's for RLVR), which is trained further instead of
    stacking a new adapter on a merged copy."""
    if not uses_lora(settings) or hasattr(model, "peft_config"):
        return None
    return lora_config(settings)


def load(base: BaseModel, adapter_or_weights: str | None, settings: TrainSettings):
    """(model, tokenizer): the base, or a saved result: an adapter (on the base its config
    names) loaded trainable, so it is trained further, or full weights."""
    if adapter_or_weights and is_adapter(adapter_or_weights):
        return load_causal_lm(adapter_or_weights, trainable=True)
    return load_causal_lm(adapter_or_weights or base.path)


def stop_ids(tokenizer, *, at_line_end: bool) -> list[int]:
    """End of text, and for one SRL step the newline that ends the action."""
    ids = [tokenizer.eos_token_id]
    if at_line_end:
        newline = tokenizer.encode("\n", add_special_tokens=False)
        if len(newline) == 1:
            ids.append(newline[0])
    return ids
