"""A tiny Llama base and LoRA adapters on it, built locally (no hub) in HF format, with the
lineage file trainers write. Random weights: the tests check serving, not answers."""

from __future__ import annotations

import json
import string
from pathlib import Path

SRL_RLVR = {"stages": ["srl", "rlvr"], "format": "peft-adapter"}
NOT_SRL_RLVR = {"stages": ["sft"], "format": "peft-adapter"}
# name: (LoRA rank, target modules, lineage); a rank-8 adapter hot-swaps into a rank-4 slot by
# growing it, one on other modules cannot be hot-swapped at all.
ADAPTERS = {
    "tiny-a": (4, ["q_proj", "v_proj"], SRL_RLVR),
    "tiny-b": (4, ["q_proj", "v_proj"], SRL_RLVR),
    "tiny-c": (8, ["q_proj", "v_proj"], SRL_RLVR),
    "tiny-mlp": (4, ["up_proj", "down_proj"], SRL_RLVR),
    "tiny-old": (4, ["q_proj", "v_proj"], NOT_SRL_RLVR),
}


def build_tokenizer():
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    tokens = ["<pad>", "<eos>", "<unk>", *(c for c in string.printable if c not in "\t\r\x0b\x0c")]
    tokenizer = Tokenizer(models.WordLevel({t: i for i, t in enumerate(tokens)}, unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizers.Split(
        Regex(r"<pad>|<eos>|<unk>|[\s\S]"), behavior="isolated"
    )
    tokenizer.decoder = decoders.Fuse()
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, eos_token="<eos>", pad_token="<pad>", unk_token="<unk>"
    )


def build_tiny_models(folder: Path, hidden: int = 32, layers: int = 2) -> dict[str, Path]:
    """Folders by name: `base` and each of ADAPTERS."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    tokenizer = build_tokenizer()
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=hidden,
        intermediate_size=2 * hidden,
        num_hidden_layers=layers,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=256,
        tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
    )
    paths = {"base": folder / "base"}
    LlamaForCausalLM(config).save_pretrained(paths["base"])
    tokenizer.save_pretrained(paths["base"])
    for name, (rank, modules, lineage) in ADAPTERS.items():
        base = LlamaForCausalLM.from_pretrained(paths["base"])
        lora = LoraConfig(
            r=rank,
            lora_alpha=8,
            target_modules=modules,
            task_type="CAUSAL_LM",
            init_lora_weights=False,
        )  # random B too, so each answers differently
        paths[name] = folder / name
        get_peft_model(base, lora).save_pretrained(paths[name])
        tokenizer.save_pretrained(paths[name])
        (paths[name] / "modelforge_lineage.json").write_text(json.dumps(lineage))
    return paths


def register_tiny_models(db, paths: dict[str, Path]) -> None:
    """`tiny-base` (the small tier, base alone) and the adapters (mid tier) in the registry."""
    from modelforge.registry import register_model

    register_model(db, "tiny-base", "local", path=str(paths["base"]), tier="small")
    for name, (_, _, lineage) in ADAPTERS.items():
        register_model(
            db,
            name,
            "local",
            path=str(paths[name]),
            adapter=True,
            base="tiny-base",
            tier="mid",
            lineage=lineage,
            model_type="arith",
        )
