"""Serving benchmark: requests/s and p50/p99 latency of `modelforge serve` on the tiny model at
1, 8 and 32 concurrent clients (the official openai client, one thread each), against the same
requests answered by calling the model directly in one process, as a ratio.

The model is a tiny Llama with a LoRA adapter (tests/serve/tiny_models.py); every request asks
the adapter for `--tokens` tokens greedily. The server runs in a child process on loopback (so
clients and server do not share one interpreter lock); generation on one base is serialised.

    .venv/bin/python bench/serve_load.py [--requests 64] [--tokens 16] [--hidden 64]

`--compare NAME` instead serves one real model both ways, through the same routes: transformers
reading its Hugging Face folder, and llama.cpp reading it exported to GGUF (`models export
--register`, each of `--types`), each in a server process of its own; tokens/s and latency per
backend and concurrency. NAME is a
model folder or a base imported by name (`modelforge base fetch smollm2-135m`); the bench
registers and exports it in a scratch data directory, never the user's.

    .venv/bin/python bench/serve_load.py --compare smollm2-135m [--types f32,q8_0]
        [--tokens 64] [--requests 16] [--levels 1,4]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = [{"role": "user", "content": "12 + 30 = ?"}]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(latencies: list[float], seconds: float) -> dict:
    return {
        "requests_per_s": round(len(latencies) / seconds, 2),
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
    }


def direct(paths: dict, requests: int, tokens: int) -> dict:
    """The same requests through transformers + peft with no server, one after another."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(paths["tiny-a"])
    model = PeftModel.from_pretrained(
        AutoModelForCausalLM.from_pretrained(paths["base"]), paths["tiny-a"]
    ).eval()
    prompt = "".join(m["content"] + "\n" for m in MESSAGES)
    latencies = []
    started = time.perf_counter()
    for number in range(-4, requests):  # the first four warm up, as for the server
        begun = time.perf_counter()
        inputs = tokenizer(prompt, return_tensors="pt")
        with torch.inference_mode():
            out = model.generate(
                **inputs,
                max_new_tokens=tokens,
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
            )
        tokenizer.decode(out[0][inputs["input_ids"].shape[1] :], skip_special_tokens=True)
        if number == -1:
            started = time.perf_counter()
        elif number >= 0:
            latencies.append(time.perf_counter() - begun)
    return summary(latencies, time.perf_counter() - started)


def served(
    url: str, clients: int, requests: int, tokens: int, model: str = "tiny-a", messages=MESSAGES
) -> dict:
    from openai import OpenAI

    latencies: list[float] = []
    generated: list[int] = []
    failures: list[str] = []
    per_client = [requests // clients + (i < requests % clients) for i in range(clients)]

    def run(count: int) -> None:
        client = OpenAI(base_url=f"{url}/v1", api_key="bench", max_retries=0, timeout=600)
        for _ in range(count):
            begun = time.perf_counter()
            try:
                answer = client.chat.completions.create(
                    model=model, messages=messages, max_tokens=tokens, temperature=0
                )
            except Exception as exc:  # noqa: BLE001 - counted, the bench goes on
                failures.append(repr(exc))
                continue
            latencies.append(time.perf_counter() - begun)
            generated.append(answer.usage.completion_tokens)

    threads = [threading.Thread(target=run, args=(count,)) for count in per_client]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    return {
        **summary(latencies, seconds),
        "tokens_per_s": round(sum(generated) / seconds, 1),
        "failed": len(failures),
    }


def app_for_home():
    import modelforge_serve.plugin as serve_plugin

    from modelforge.app import App
    from modelforge.plugins import load_plugins

    plugins = load_plugins()
    if not plugins.pm.has_plugin("serve"):
        plugins.register(serve_plugin, name="serve")
    return App(plugins)


def serve_child(home: str) -> None:
    os.environ["MODELFORGE_HOME"] = home
    from modelforge_serve.server import build_server

    server = build_server(app_for_home(), "127.0.0.1", 0)
    print(server.url, flush=True)
    server.serve_forever()


def serving(home: Path):
    """A server child on loopback for the data directory `home`; (process, url)."""
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve-home", str(home)], stdout=subprocess.PIPE, text=True
    )
    return child, child.stdout.readline().strip()


def compare(args) -> dict:
    """One model through transformers and, exported to GGUF, through llama.cpp."""
    from modelforge.hf_models import resolve
    from modelforge.model_export import export
    from modelforge.registry import register_model

    folder = resolve(args.compare)
    if not Path(folder).is_dir():
        raise SystemExit(f"{args.compare}: no model folder or imported base of that name")
    scratch = Path(tempfile.mkdtemp(prefix="serve-compare-"))
    os.environ["MODELFORGE_HOME"] = str(scratch / "home")
    app = app_for_home()
    register_model(app.db, "model", "local", path=folder)
    names = {"transformers": "model"}
    for quant_type in args.types.split(","):
        done = export(app.db, app.config.data_dir, "model", "gguf", quant_type, register=True)
        names[f"llamacpp {quant_type}"] = done["registered"]
    messages = [{"role": "user", "content": "What is 482 + 379? Show each column."}]
    rows = {}
    for backend, name in names.items():
        # a server of its own for each: in one process, llama.cpp ran about half as fast once
        # transformers had answered a request there (docs/deploying.md)
        child, url = serving(scratch / "home")
        try:
            served(url, 1, 2, args.tokens, name, messages)  # warm: load it
            rows[backend] = {
                clients: served(url, clients, args.requests, args.tokens, name, messages)
                for clients in map(int, args.levels.split(","))
            }
        finally:
            child.terminate()
            child.wait()
    return {
        "model": args.compare,
        "folder": folder,
        "requests_per_level": args.requests,
        "max_tokens": args.tokens,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "backends": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=64, help="requests per level")
    parser.add_argument("--tokens", type=int, default=16, help="max_tokens of each request")
    parser.add_argument("--hidden", type=int, default=64, help="the tiny model's hidden size")
    parser.add_argument("--levels", default="1,8,32", help="concurrent clients per level")
    parser.add_argument("--compare", metavar="NAME", help="one real model, both backends")
    parser.add_argument("--types", default="f32,q8_0", help="GGUF types for --compare")
    parser.add_argument("--serve-home", help=argparse.SUPPRESS)  # the child: serve, print url
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.serve_home:
        return serve_child(args.serve_home)
    if args.compare:
        print(json.dumps(compare(args), indent=2))
        return None
    scratch = Path(tempfile.mkdtemp(prefix="serve-bench-"))
    os.environ["MODELFORGE_HOME"] = str(scratch / "home")
    from tests.serve.tiny_models import build_tiny_models, register_tiny_models

    paths = build_tiny_models(scratch / "models", hidden=args.hidden)
    register_tiny_models(app_for_home().db, paths)
    before = direct(paths, args.requests, args.tokens)
    child, url = serving(scratch / "home")
    try:
        served(url, 1, 4, args.tokens)  # warm: load the base and the adapter
        levels = {
            clients: served(url, clients, args.requests, args.tokens)
            for clients in map(int, args.levels.split(","))
        }
    finally:
        child.terminate()
        child.wait()
    # Direct runs before and after the server; on a busy machine they differ, so the ratio is
    # taken against the faster one (the server's least flattering comparison).
    after = direct(paths, args.requests, args.tokens)
    baseline = max(before, after, key=lambda figures: figures["requests_per_s"])
    for figures in levels.values():
        figures["ratio_to_direct"] = round(
            figures["requests_per_s"] / baseline["requests_per_s"], 3
        )
    print(
        json.dumps(
            {
                "model": f"tiny Llama (hidden {args.hidden}, 2 layers) + LoRA r=4",
                "requests_per_level": args.requests,
                "max_tokens": args.tokens,
                "cpus": os.cpu_count(),
                "load_average": os.getloadavg()[0],
                "direct_before": before,
                "direct_after": after,
                "served": levels,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
