"""CPU and wall seconds a step of the embedded base's pre-training, per variant of the loop.

The loop is base_model.pretrain's (the same corpus, tokenizer, model, batches and optimiser)
run for STEPS steps, once per variant, and each variant's losses are compared with the first's:
a variant that changes them is not a speed-up of the same stage. Variants, comma-separated:
`base` (as pretrain does it), `pretok` (the corpus tokenised once), `pretok-foreach` and
`pretok-fused` (AdamW's implementations), `t1`/`t2` (`torch.set_num_threads`). Results:
docs/lifecycle.md.

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
    model.train()
    cpu, wall, losses = time.process_time(), time.monotonic(), []
    for _ in range(steps):
        if encoded_corpus is None:
            encoded = base_model.pretrain_batch(tokenizer, texts, rng, settings)
        else:
            chosen = rng.sample(range(len(texts)), settings.pretrain_batch_size)
            encoded = tokenizer.pad(
                {"input_ids": [encoded_corpus[i] for i in chosen]}, return_tensors="pt"
            )
        labels = encoded["input_ids"].masked_fill(encoded["attention_mask"] == 0, -100)
        loss = model(**encoded, labels=labels).loss
        loss.backward()
        optimiser.step()
        schedule.step()
        optimiser.zero_grad()
        losses.append(loss.item())
    return (time.process_time() - cpu) / steps, (time.monotonic() - wall) / steps, losses


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
    first = None
    for variant in variants:
        cpu, wall, losses = run(variant, texts, tokenizer, steps)
        first = first or losses
        drift = max(abs(a - b) for a, b in zip(first, losses))
        print(
            f"{variant:16s} cpu {cpu * 1000:.1f} ms/step  wall {wall * 1000:.1f} ms/step  "
            f"final loss {losses[-1]:.4f}  max |loss - {variants[0]}'s| {drift:.2e}",
            flush=True,
        )


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: python bench/pretrain_step.py TYPE STEPS VARIANT[,VARIANT...]")
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3].split(","))
