"""CPU and wall seconds a step of the embedded base's pre-training, per variant of the loop.

The loop is base_model.pretrain's (the same corpus, tokenizer, model, batches and optimiser)
run for STEPS steps, once per variant, and each variant's losses are compared with the first's:
a variant that changes them is not a speed-up of the same stage. Variants, comma-separated:
`base` (as pretrain does it), `pretok` (the corpus tokenised once), `pretok-foreach` and
`pretok-fused` (AdamW's implementations), `t1`/`t2` (`torch.set_num_threads`), `sortedN`
(each batch sorted by length into N micro-batches, each padded to its own longest, gradients
summed over the batch's tokens: the same sum, less padding), `bf16` (autocast to bfloat16) and
`compile` (`torch.compile(dynamic=True)`). A variant's first step, where compiling happens, is
timed apart from the rest. Results: docs/lifecycle.md.

    .venv/bin/python bench/pretrain_step.py arith 40 t2,t1
"""

from __future__ import annotations

import random
import sys
import time


def run(variant: str, texts, tokenizer, steps: int):
    import torch
    from modelforge_train import base_model
    from modelforge_train.settings import EmbeddedBaseSettings

    settings = EmbeddedBaseSettings()
    if variant.startswith("t"):
        torch.set_num_threads(int(variant[1:]))
    torch.manual_seed(settings.seed)
    model = base_model.build_model(settings, tokenizer)
    options = {"fused": True} if "fused" in variant else {}
    options = {"foreach": True} if "foreach" in variant else options
    lr = settings.pretrain_learning_rate
    optimiser = torch.optim.AdamW(model.parameters(), lr=lr, **options)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, lr, total_steps=steps)
    rng = random.Random(settings.seed)
    encoded_corpus = None
    if "pretok" in variant:
        encoded_corpus = tokenizer(
            [text + tokenizer.eos_token for text in texts],
            truncation=True,
            max_length=settings.max_positions,
        )["input_ids"]
    forward = torch.compile(model, dynamic=True) if variant == "compile" else model
    model.train()
    cpu, wall, losses, first_step = time.process_time(), time.monotonic(), [], 0.0
    for step in range(steps):
        if step == 1:  # the first step, compiling included, is timed apart
            first_step = time.monotonic() - wall
            cpu, wall = time.process_time(), time.monotonic()
        if encoded_corpus is None:
            encoded = base_model.pretrain_batch(tokenizer, texts, rng, settings)
        else:
            chosen = rng.sample(range(len(texts)), settings.pretrain_batch_size)
            encoded = tokenizer.pad(
                {"input_ids": [encoded_corpus[i] for i in chosen]}, return_tensors="pt"
            )
        labels = encoded["input_ids"].masked_fill(encoded["attention_mask"] == 0, -100)
        if variant.startswith("sorted"):
            loss = sorted_micro_batches(forward, encoded, labels, int(variant[6:]))
        else:
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=variant == "bf16"):
                loss = forward(**encoded, labels=labels).loss
            loss.backward()
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        losses.append(loss.item())
    timed = max(steps - 1, 1)
    return (
        (time.process_time() - cpu) / timed,
        (time.monotonic() - wall) / timed,
        first_step,
        losses,
    )


def sorted_micro_batches(model, encoded, labels, parts: int):
    """Backward over the batch in `parts` micro-batches of similar lengths; each one's loss is
    its token losses summed over the whole batch's count, so the gradients add up to the batch's."""
    import torch

    lengths = encoded["attention_mask"].sum(1)
    items = int((labels[:, 1:] != -100).sum())  # the targets the model's shifted loss counts
    total = torch.zeros(())
    for part in torch.argsort(lengths).chunk(parts):
        width = int(lengths[part].max())
        loss = model(
            input_ids=encoded["input_ids"][part, :width],
            attention_mask=encoded["attention_mask"][part, :width],
            labels=labels[part, :width],
            num_items_in_batch=items,
        ).loss
        loss.backward()
        total += loss.detach()
    return total


def padding(tokenizer, texts, settings, batches: int = 200) -> float:
    """Padded over real tokens in the loop's first batches: what sorting into micro-batches can save."""
    from modelforge_train import base_model

    rng, padded, real = random.Random(settings.seed), 0, 0
    for _ in range(batches):
        mask = base_model.pretrain_batch(tokenizer, texts, rng, settings)["attention_mask"]
        padded, real = padded + mask.numel(), real + int(mask.sum())
    return padded / real


def main(type_name: str, steps: int, variants: list[str]) -> None:
    from modelforge_train import base_model
    from modelforge_train.embedded_tokenizer import build_tokenizer
    from modelforge_train.settings import EmbeddedBaseSettings

    from modelforge.plugins import load_plugins, model_types

    settings = EmbeddedBaseSettings()
    model_type = model_types(load_plugins())[type_name]
    texts = base_model.corpus_texts(
        model_type, settings.pretrain_levels, settings.pretrain_texts, settings.seed
    )
    tokenizer = build_tokenizer(texts, settings.vocab_size)
    print(f"{padding(tokenizer, texts, settings):.2f} tokens padded for each real one", flush=True)
    first = None
    for variant in variants:
        cpu, wall, first_step, losses = run(variant, texts, tokenizer, steps)
        first = first or losses
        drift = max(abs(a - b) for a, b in zip(first, losses))
        print(
            f"{variant:16s} first step {first_step:.1f} s, then cpu {cpu * 1000:.1f} ms/step  "
            f"wall {wall * 1000:.1f} ms/step  "
            f"final loss {losses[-1]:.4f}  max |loss - {variants[0]}'s| {drift:.2e}",
            flush=True,
        )


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: python bench/pretrain_step.py TYPE STEPS VARIANT[,VARIANT...]")
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","))
