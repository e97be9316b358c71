"""llama.cpp against transformers on the same exported model: each model is exported to GGUF
(f32, f16, q8_0) with `models export`, loaded by llama.cpp (llama-cpp-python, the `[llamacpp]`
extra), and its greedy completions of the same prompts compared token by token with the source
model run by transformers (an adapter on its base, unmerged, as `serve` runs it). Also: whether
llama.cpp tokenizes each prompt as the source tokenizer does, and both runtimes' tokens/s.
A benchmark, not a test: it prints what it measures.

    .venv/bin/python bench/gguf_roundtrip.py --model arith/cycle-1/rlvr --model smollm2-135m
        [--types f32,f16,q8_0] [--prompts 10] [--tokens 32] [--threads 2] [--json]

Models are registry names (or bases by name) in the data directory MODELFORGE_HOME names. Not a
CI test: llama-cpp-python builds from source with cmake (5 min on 2 quiet cores, far longer on a
busy machine), more than CI's budget.
"""

from __future__ import annotations

import argparse
import json
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", required=True)
    parser.add_argument("--types", default="f32,f16,q8_0")
    parser.add_argument("--prompts", type=int, default=10)
    parser.add_argument("--tokens", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--repack", action="store_true", help="llama.cpp's repacked weight buffers (AMX) on"
    )
    args = parser.parse_args(argv)

    import torch

    from modelforge.app import App
    from modelforge.hf_models import load_causal_lm
    from modelforge.model_export import export, find_source
    from modelforge.plugins import load_plugins

    torch.set_num_threads(args.threads)
    app = App(load_plugins())
    results = []
    for name in args.model:
        source = find_source(app.db, app.config.data_dir, name)
        model, tokenizer = load_causal_lm(str(source.path), data_dir=app.config.data_dir)
        model.eval()
        texts = prompts(tokenizer, args.prompts)
        reference, hf_seconds = [], 0.0
        for text in texts:
            started = time.perf_counter()
            reference.append(hf_greedy(model, tokenizer, text, args.tokens))
            hf_seconds += time.perf_counter() - started
        hf_tokens = sum(len(r) for r in reference)
        for quant_type in args.types.split(","):  # into <data dir>/exports, as the CLI does
            done = export(app.db, app.config.data_dir, name, "gguf", quant_type, force=True)
            row = compare(done["path"], tokenizer, texts, reference, args)
            row.update(
                model=name,
                type=quant_type,
                size_mb=round(done["size_bytes"] / 1e6, 1),
                export_s=done["seconds"],
                hf_tokens_per_s=round(hf_tokens / hf_seconds, 1),
            )
            results.append(row)
            if not args.json:
                print(render(row), flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


def prompts(tokenizer, count: int) -> list[str]:
    """Arithmetic problems as the model was trained to read them (its chat template, or the
    embedded format)."""
    from modelforge_arith.model_type import Arith

    from modelforge.policy_format import problem_prompt

    arith = Arith()
    categories = ["addition", "multiplication"]
    return [
        problem_prompt(arith.generate_problem(categories[i % 2], 2 + i % 3, 7_000 + i), tokenizer)
        for i in range(count)
    ]


def hf_greedy(model, tokenizer, text: str, tokens: int) -> list[int]:
    import torch

    ids = tokenizer(text, return_tensors="pt")["input_ids"]
    with torch.no_grad():
        out = model.generate(
            ids, max_new_tokens=tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id
        )
    return out[0, ids.shape[1] :].tolist()


def compare(path: str, tokenizer, texts, reference, args) -> dict:
    """llama.cpp's tokenization and greedy completions against the source's."""
    from modelforge.extras import require

    Llama = require("llama_cpp", "bench/gguf_roundtrip.py").Llama
    from modelforge_serve.llamacpp import extra_buffers

    started = time.perf_counter()
    with extra_buffers(args.repack):  # off: they crash quantised models on an AMX Xeon VM
        llm = Llama(model_path=path, n_ctx=512, n_threads=args.threads, verbose=False, seed=0)
    load_s = time.perf_counter() - started
    same_tokens = same_prompts = positions = matching = 0
    generated, seconds = 0, 0.0
    for text, expected in zip(texts, reference, strict=True):
        ids = tokenizer(text)["input_ids"]
        same_prompts += llm.tokenize(text.encode(), add_bos=False, special=True) == ids
        llm.reset()
        started = time.perf_counter()
        got = []
        for token in llm.generate(ids, top_k=1, temp=0.0, repeat_penalty=1.0, reset=True):
            if token == llm.token_eos() or len(got) == args.tokens:
                break
            got.append(token)
        seconds += time.perf_counter() - started
        generated += len(got)
        expected = [t for t in expected if t != tokenizer.eos_token_id][: args.tokens]
        span = max(len(got), len(expected))
        positions += span
        matching += sum(a == b for a, b in zip(got, expected, strict=False))
        same_tokens += got == expected
    return {
        "prompts": len(texts),
        "completions_identical": same_tokens,
        "tokens_identical_share": round(matching / positions, 3) if positions else None,
        "prompts_tokenized_alike": same_prompts,
        "llamacpp_tokens_per_s": round(generated / seconds, 1) if seconds else None,
        "llamacpp_load_s": round(load_s, 2),
    }


def render(row: dict) -> str:
    return (
        f"{row['model']} {row['type']} ({row['size_mb']} MB): "
        f"{row['completions_identical']}/{row['prompts']} completions identical, "
        f"{row['tokens_identical_share']:.1%} of tokens; "
        f"{row['prompts_tokenized_alike']}/{row['prompts']} prompts tokenized alike; "
        f"llama.cpp {row['llamacpp_tokens_per_s']} tokens/s (load {row['llamacpp_load_s']} s), "
        f"transformers {row['hf_tokens_per_s']} tokens/s"
    )


if __name__ == "__main__":
    raise SystemExit(main())
