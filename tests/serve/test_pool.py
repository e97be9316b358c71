"""The pool on its own: LRU eviction, hot swap where shapes allow, reload where they do not."""

from __future__ import annotations

from modelforge_serve.pool import ModelPool
from modelforge_serve.routing import Target
from modelforge_serve.settings import ServeSettings


def target(paths, name):
    return Target(name, str(paths["base"]), str(paths[name]))


def answer(pool, target_, prompt="hi\n"):
    import torch

    with pool.use(target_) as loaded:
        inputs = loaded.tokenizer(prompt, return_tensors="pt")
        with torch.inference_mode():
            out = loaded.model.generate(**inputs, max_new_tokens=6, do_sample=False, pad_token_id=0)
        return out[0].tolist()


def resident(pool):
    return [a["model"] for b in pool.listing()["bases"] for a in b["adapters"]]


def test_least_recently_used_adapter_is_swapped_out(tiny_paths):
    pool = ModelPool(ServeSettings(max_resident_adapters=2))
    fresh = {
        name: answer(ModelPool(ServeSettings()), target(tiny_paths, name))
        for name in ("tiny-a", "tiny-b", "tiny-c")
    }
    assert answer(pool, target(tiny_paths, "tiny-a")) == fresh["tiny-a"]
    assert answer(pool, target(tiny_paths, "tiny-b")) == fresh["tiny-b"]
    answer(pool, target(tiny_paths, "tiny-a"))  # tiny-b is now the least recently used
    assert answer(pool, target(tiny_paths, "tiny-c")) == fresh["tiny-c"]  # rank 8 into rank 4
    assert resident(pool) == ["tiny-a", "tiny-c"]
    counters = pool.listing()["counters"]
    assert counters["hot_swaps"] == 1 and counters["adapter_evictions"] == 1
    assert answer(pool, target(tiny_paths, "tiny-b")) == fresh["tiny-b"]  # back, swapped again


def test_incompatible_adapter_reloads_the_slot(tiny_paths):
    pool = ModelPool(ServeSettings(max_resident_adapters=1))
    alone = answer(ModelPool(ServeSettings()), target(tiny_paths, "tiny-mlp"))
    answer(pool, target(tiny_paths, "tiny-a"))
    assert answer(pool, target(tiny_paths, "tiny-mlp")) == alone
    counters = pool.listing()["counters"]
    assert counters["hot_swaps"] == 0 and counters["adapter_loads"] == 2


def test_unloading_the_last_adapter_restores_the_plain_base(tiny_paths):
    pool = ModelPool(ServeSettings())
    base = Target("tiny-base", str(tiny_paths["base"]))
    plain = answer(pool, base)
    answer(pool, target(tiny_paths, "tiny-a"))
    assert answer(pool, base) == plain  # adapters disabled for the base alone
    assert pool.unload("tiny-a") and not pool.unload("tiny-a")
    assert not hasattr(pool.bases[str(tiny_paths["base"])].model, "peft_config")
    assert answer(pool, base) == plain


def test_bases_are_bounded(tiny_paths):
    pool = ModelPool(ServeSettings(max_resident_bases=1))
    answer(pool, Target("tiny-base", str(tiny_paths["base"])))
    answer(pool, Target("other", str(tiny_paths["base"]) + "/."))  # another key, same files
    assert len(pool.bases) == 1 and pool.listing()["counters"]["base_evictions"] == 1
