"""The embedded default base: a tiny Llama built from a config, with a tokenizer learnt from
the same corpus, pre-trained briefly on one model type's step format and cached under the data
directory with a record of how it was made. Each type gets its own base: a type's vocabulary and
context are its own, and adding, removing or changing one type never re-makes another's base."""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from modelforge.artifacts import atomic_path, checksum
from modelforge.hf_models import RECORD, bases_dir
from modelforge.modeltype import ModelType
from modelforge.policy_format import problem_prompt, solution_text
from modelforge_train.settings import EmbeddedBaseSettings


@dataclass(frozen=True)
class BaseModel:
    """Where a base lives and what identifies it in lineage."""

    name: str
    path: str
    hash: str


def corpus_texts(model_type: ModelType, levels: int, count: int, seed: int) -> list[str]:
    """Expert solutions of the lowest `levels` difficulties of every category, as full texts."""
    rng = random.Random(f"pretrain:{model_type.name}:{seed}")
    pairs = [(c.name, level) for c in model_type.categories for level in c.levels[:levels]]
    texts = []
    for _ in range(count):
        category, level = rng.choice(pairs)
        problem = model_type.generate_problem(category, level, rng.randrange(1 << 30))
        texts.append(problem_prompt(problem) + solution_text(model_type.solve(problem)))
    return texts


def build_model(settings: EmbeddedBaseSettings, tokenizer):
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


def pretrain(
    model,
    tokenizer,
    texts: list[str],
    settings: EmbeddedBaseSettings,
    progress: Callable[[int, int, float], None] | None = None,
    round_index: int = 0,
) -> dict[str, Any]:
    """Plain next-token language modelling, one budget of `pretrain_tokens`; returns the
    final loss and the time taken. `progress(step, total, loss)` is called every step."""
    import torch

    torch.manual_seed(settings.seed + round_index)
    total = steps_for_budget(tokenizer, texts, settings)
    device = next(model.parameters()).device
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings.pretrain_learning_rate)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, settings.pretrain_learning_rate, total_steps=total
    )
    rng = random.Random(settings.seed + round_index)  # a later round sees other batches
    started, loss_value, tokens = time.monotonic(), float("nan"), 0
    model.train()
    for step in range(1, total + 1):
        encoded = pretrain_batch(tokenizer, texts, rng, settings).to(device)
        labels = encoded["input_ids"].masked_fill(encoded["attention_mask"] == 0, -100)
        loss = model(**encoded, labels=labels).loss
        loss.backward()
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        loss_value, tokens = loss.item(), tokens + int(encoded["attention_mask"].sum())
        if progress:
            progress(step, total, loss_value)
    model.eval()
    return {
        "final_loss": round(loss_value, 4),
        "seconds": round(time.monotonic() - started, 1),
        "steps": total,
        "tokens": tokens,
    }


def pretrain_batch(tokenizer, texts: list[str], rng: random.Random, settings):
    """One pre-training batch: pretrain_batch_size texts drawn by rng, each ended by EOS."""
    batch = [text + tokenizer.eos_token for text in rng.sample(texts, settings.pretrain_batch_size)]
    return tokenizer(
        batch,
        return_tensors="pt",
        padding=True,
        truncation=True,
        max_length=settings.max_positions,  # long types must not blow the memory budget
    )


def pretrain_to_target(model, tokenizer, texts, model_type, settings, progress=None) -> dict:
    """Budgets of pre-training until the base solves `pretrain_target` of its easiest level,
    at most `pretrain_rounds` of them; what each round reached is recorded."""
    per_round = steps_for_budget(tokenizer, texts, settings)
    rounds: list[dict[str, Any]] = []
    for index in range(settings.pretrain_rounds):
        offset = index * per_round

        def shifted(step, _total, loss, offset=offset):
            progress(offset + step, per_round * settings.pretrain_rounds, loss)

        made = pretrain(model, tokenizer, texts, settings, progress and shifted, index)
        rounds.append(
            {**made, "easiest_pass_rate": easiest_pass_rate(model, tokenizer, model_type)}
        )
        if rounds[-1]["easiest_pass_rate"] >= settings.pretrain_target:
            break
    return {
        "final_loss": rounds[-1]["final_loss"],
        "seconds": round(sum(r["seconds"] for r in rounds), 1),
        "steps": sum(r["steps"] for r in rounds),
        "tokens": sum(r["tokens"] for r in rounds),
        "easiest_pass_rate": rounds[-1]["easiest_pass_rate"],
        "rounds": rounds,
    }


def easiest_pass_rate(model, tokenizer, model_type: ModelType, per_category: int = 8) -> float:
    """Greedy exact pass rate on fresh problems of every category's easiest level."""
    from modelforge import scoring

    easiest = {c.name: c.levels[0] for c in model_type.categories}
    problems = [
        p
        for p in scoring.held_out_problems(model_type, per_category, 0, "pretrain-check")
        if p.difficulty == easiest[p.category]
    ]
    longest = max(len(tokenizer(solution_text(model_type.solve(p)))["input_ids"]) for p in problems)
    return scoring.pass_rates(model, tokenizer, model_type, problems, longest + 16)["overall"]


def steps_for_budget(tokenizer, texts: list[str], settings: EmbeddedBaseSettings) -> int:
    """The steps that spend `pretrain_tokens`: a budget in tokens costs every type about the
    same time, however long its solutions are."""
    sample = texts[:256]
    lengths = [len(ids) + 1 for ids in tokenizer(sample)["input_ids"]]  # + EOS
    per_step = settings.pretrain_batch_size * min(
        sum(lengths) / len(lengths), settings.max_positions
    )
    return max(1, round(settings.pretrain_tokens / per_step))


def embedded_base(
    model_type: ModelType,
    settings: EmbeddedBaseSettings,
    data_dir: Path,
    progress: Callable[[int, int, float], None] | None = None,
) -> BaseModel:
    """The cached pre-trained base for this type and these settings, made on first use."""
    recipe = {
        "model_type": [model_type.name, model_type.version, model_type.rules.version],
        **settings.model_dump(),
    }
    key = checksum_of(recipe)
    folder = bases_dir(data_dir) / f"embedded-{model_type.name}-{key}"
    if not (folder / RECORD).exists():
        import torch

        from modelforge_train.embedded_tokenizer import build_tokenizer

        torch.manual_seed(settings.seed)
        texts = corpus_texts(
            model_type, settings.pretrain_levels, settings.pretrain_texts, settings.seed
        )
        tokenizer = build_tokenizer(texts, settings.vocab_size)
        model = build_model(settings, tokenizer)
        model.to("cuda" if torch.cuda.is_available() else "cpu")
        made = pretrain_to_target(model, tokenizer, texts, model_type, settings, progress)
        record = {
            "recipe": recipe,
            "parameters": model.num_parameters(),
            "vocabulary": len(tokenizer),
            **made,
            "corpus": f"{len(texts)} expert solutions of {model_type.name}, lowest "
            f"{settings.pretrain_levels} levels of every category",
        }
        with atomic_path(folder) as scratch:
            model.save_pretrained(scratch)
            tokenizer.save_pretrained(scratch)
            (scratch / RECORD).write_text(json.dumps(record, indent=2))
    digest, _ = checksum(folder)
    return BaseModel(f"embedded-{model_type.name}-{key}", str(folder), digest)


def checksum_of(recipe: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]
