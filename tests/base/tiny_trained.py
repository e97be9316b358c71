"""A tiny embedded-style model trained for a few steps with a LoRA adapter, saved and registered
as a trainer leaves it: a base folder, an adapter folder with its lineage, an rlvr_model artifact
and the registry entry that points at both."""

from __future__ import annotations

import json
from pathlib import Path

LINEAGE = {"stages": ["srl", "rlvr"], "format": "peft-adapter", "rules_version": "1"}
LORA_RANK, LORA_ALPHA = 4, 8
STEPS = 12
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]


def texts() -> list[str]:
    return [
        f"{a}+{b}=\ncolumn 1: <think></think>{a % 10}+{b % 10}+0={a % 10 + b % 10}|\nans={a + b}"
        for a in range(10, 99, 7)
        for b in range(5, 60, 9)
    ]


def prompts() -> list[str]:
    return [f"{a}+{b}=\n" for a, b in zip(range(11, 91, 8), range(3, 60, 6), strict=False)]


def build(folder: Path) -> dict[str, Path]:
    """Folders `base` and `adapter`: a 2-layer Llama with grouped-query attention (4 heads, 2
    key/value heads, rows of 64 so q8_0 blocks fit) and an adapter trained STEPS steps."""
    import torch
    from modelforge_train.embedded_tokenizer import build_tokenizer
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    corpus = texts()
    tokenizer = build_tokenizer(corpus, 120)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=128,
        tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
    )
    paths = {"base": folder / "base", "adapter": folder / "adapter"}
    LlamaForCausalLM(config).save_pretrained(paths["base"])
    tokenizer.save_pretrained(paths["base"])
    base = LlamaForCausalLM.from_pretrained(paths["base"], dtype=torch.float32)
    lora = LoraConfig(r=LORA_RANK, lora_alpha=LORA_ALPHA, target_modules=TARGETS)
    model = get_peft_model(base, lora)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    batch = tokenizer(corpus[:16], return_tensors="pt", padding=True)
    for _ in range(STEPS):
        loss = model(**batch, labels=batch["input_ids"]).loss
        loss.backward()
        optimiser.step()
        optimiser.zero_grad()
    model.save_pretrained(paths["adapter"])
    tokenizer.save_pretrained(paths["adapter"])
    (paths["adapter"] / "modelforge_lineage.json").write_text(json.dumps(LINEAGE))
    return paths


def register(db, paths: dict[str, Path], name: str, cycle_id: int | None = None) -> int:
    """The base and the adapter in the registry, the adapter as an rlvr_model artifact; its id."""
    from modelforge.artifacts import register_artifact
    from modelforge.registry import register_model

    register_model(db, "tiny-base", "local", path=str(paths["base"]), tier="tiny")
    artifact = register_artifact(
        db, paths["adapter"], "rlvr_model", LINEAGE, model_type="arith", cycle_id=cycle_id
    )
    register_model(
        db,
        name,
        "local",
        path=str(paths["adapter"]),
        adapter=True,
        base="tiny-base",
        model_type="arith",
        artifact_id=artifact.id,
        lineage=LINEAGE,
    )
    return artifact.id
