"""The embedded default base: a tiny Llama built from a config, pre-trained briefly on the
step format of the enabled model types, cached under the data directory with a record of how
it was made. One base serves every enabled type whose solutions fit its context, so it is
pre-trained once, not once per type; a type whose solutions do not fit needs a real base."""

from __future__ import annotations

import hashlib
import json
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelforge.artifacts import atomic_path, checksum
from modelforge.modeltype import ModelType
from modelforge.policy_format import problem_prompt, solution_text
from modelforge_train.settings import EmbeddedBaseSection

RECORD = "modelforge_base.json"


@dataclass(frozen=True)
class BaseModel:
    """Where a base lives and what identifies it in lineage."""

    name: str
    path: str
    hash: str


def corpus_texts(types: list[ModelType], levels: int, count: int, seed: int) -> list[str]:
    """Expert solutions of the lowest `levels` difficulties of every category, as full texts."""
    rng = random.Random(f"pretrain:{seed}")
    pairs = [(t, c.name, level) for t in types for c in t.categories for level in c.levels[:levels]]
    texts = []
    for _ in range(count):
        model_type, category, level = rng.choice(pairs)
        problem = model_type.generate_problem(category, level, rng.randrange(1 << 30))
        texts.append(problem_prompt(problem) + solution_text(model_type.solve(problem)))
    return texts


def longest_text(model_type: ModelType, settings: EmbeddedBaseSection, sample: int = 48) -> int:
    """The longest pre-training text of a type in characters (the embedded tokenizer's unit)."""
    texts = corpus_texts([model_type], settings.pretrain_levels, sample, settings.seed)
    return max(len(text) for text in texts)


def fits(model_type: ModelType, settings: EmbeddedBaseSection) -> bool:
    """Whether the embedded base can hold this type's easiest solutions at all."""
    return longest_text(model_type, settings) < settings.max_positions


def build_model(settings: EmbeddedBaseSection, tokenizer):
    from transformers import LlamaConfig, LlamaForCausalLM

    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=settings.hidden_size,
        intermediate_size=settings.intermediate_size,
        num_hidden_layers=settings.layers,
        num_attention_heads=settings.heads,
        num_key_value_heads=settings.heads,
        max_position_embeddings=settings.max_positions,
        tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
    )
    return LlamaForCausalLM(config)


def pretrain(model, tokenizer, texts: list[str], settings: EmbeddedBaseSection) -> dict[str, Any]:
    """Plain next-token language modelling; returns the final loss and the time taken."""
    import torch

    torch.manual_seed(settings.seed)
    device = next(model.parameters()).device
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.pretrain_learning_rate)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, settings.pretrain_learning_rate, total_steps=max(1, settings.pretrain_steps)
    )
    rng = random.Random(settings.seed)
    started, loss_value, tokens = time.monotonic(), float("nan"), 0
    model.train()
    for _ in range(settings.pretrain_steps):
        batch = [
            text + tokenizer.eos_token for text in rng.sample(texts, settings.pretrain_batch_size)
        ]
        encoded = tokenizer(
            batch,
            return_tensors="pt",
            padding=True,
            truncation=True,
            max_length=settings.max_positions,  # long types must not blow the memory budget
        ).to(device)
        labels = encoded["input_ids"].masked_fill(encoded["attention_mask"] == 0, -100)
        loss = model(**encoded, labels=labels).loss
        loss.backward()
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        loss_value, tokens = loss.item(), tokens + int(encoded["attention_mask"].sum())
    model.eval()
    return {
        "final_loss": round(loss_value, 4),
        "seconds": round(time.monotonic() - started, 1),
        "tokens": tokens,
    }


def embedded_base(
    types: list[ModelType], settings: EmbeddedBaseSection, data_dir: Path
) -> BaseModel:
    """The cached pre-trained base for these types and settings, made on first use."""
    types = sorted(types, key=lambda t: t.name)
    recipe = {
        "model_types": {t.name: [t.version, t.rules.version] for t in types},
        **settings.model_dump(),
    }
    key = checksum_of(recipe)
    folder = data_dir / "base_models" / f"embedded-{key}"
    if not (folder / RECORD).exists():
        import torch

        from modelforge_train.charset import build_tokenizer

        torch.manual_seed(settings.seed)
        tokenizer = build_tokenizer()
        model = build_model(settings, tokenizer)
        texts = corpus_texts(types, settings.pretrain_levels, 4096 * len(types), settings.seed)
        made = pretrain(model, tokenizer, texts, settings)
        record = {
            "recipe": recipe,
            "parameters": model.num_parameters(),
            **made,
            "corpus": f"{len(texts)} expert solutions, lowest {settings.pretrain_levels} "
            "levels of every category",
        }
        with atomic_path(folder) as scratch:
            model.save_pretrained(scratch)
            tokenizer.save_pretrained(scratch)
            (scratch / RECORD).write_text(json.dumps(record, indent=2))
    digest, _ = checksum(folder)
    return BaseModel(f"embedded-{key}", str(folder), digest)


def checksum_of(recipe: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]
