"""The policy a stage starts from: the embedded base, a Hugging Face model, or an earlier
stage's artifact; LoRA for real models, full training for the embedded one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from modelforge.artifacts import checksum
from modelforge.modeltype import ModelType
from modelforge_train.base_model import BaseModel, embedded_base
from modelforge_train.settings import TrainSection

EMBEDDED = "embedded"


def resolve_base(
    settings: TrainSection,
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
    from transformers import AutoConfig

    revision = getattr(AutoConfig.from_pretrained(settings.base), "_commit_hash", None)
    return BaseModel(settings.base, settings.base, revision or "unknown")


def uses_lora(settings: TrainSection) -> bool:
    return settings.base != EMBEDDED and settings.lora.enabled


def lora_config(settings: TrainSection):
    from peft import LoraConfig

    lora = settings.lora
    return LoraConfig(
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=lora.target_modules,
        task_type="CAUSAL_LM",
    )


def load(base: BaseModel, adapter_or_weights: str | None, settings: TrainSection):
    """(model, tokenizer): the base, or a stage's saved result on top of it."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = adapter_or_weights if adapter_or_weights and not uses_lora(settings) else base.path
    model = AutoModelForCausalLM.from_pretrained(source)
    tokenizer = AutoTokenizer.from_pretrained(source)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    if adapter_or_weights and uses_lora(settings):
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, adapter_or_weights, is_trainable=True)
    return model, tokenizer


def stop_ids(tokenizer, *, at_line_end: bool) -> list[int]:
    """End of text, and for one SRL step the newline that ends the action."""
    ids = [tokenizer.eos_token_id]
    if at_line_end:
        newline = tokenizer.encode("\n", add_special_tokens=False)
        if len(newline) == 1:
            ids.append(newline[0])
    return ids
