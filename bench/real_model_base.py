"""What a real pretrained model does with `arith` before any training: greedy exact pass rate per
difficulty through its own chat template, with 0 or a few worked examples (expert solutions of
other problems as earlier chat turns), the tokens/s it generates on this machine's CPU threads,
and the process's peak RSS. A benchmark, not a test: it prints what it measures.

    .venv/bin/python bench/real_model_base.py [--base smollm2-135m] [--per-level 8]
        [--levels 2,3,4,5,6] [--shots 0,3] [--threads 2] [--json]

The base is a folder, a hub id or a base imported by name (`modelforge base fetch smollm2-135m`).
"""

from __future__ import annotations

import argparse
import json
import resource
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="smollm2-135m")
    parser.add_argument("--per-level", type=int, default=8, help="problems per category and level")
    parser.add_argument("--levels", default="2,3,4,5,6")
    parser.add_argument("--shots", default="0,3", help="worked examples before the problem")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    import torch
    from modelforge_arith.model_type import Arith

    from modelforge import scoring
    from modelforge.hf_models import load_causal_lm
    from modelforge.policy_format import chat_prompt, has_chat_template, solution_text

    torch.set_num_threads(args.threads)
    arith = Arith()
    model, tokenizer = load_causal_lm(args.base)
    model.eval()
    if not has_chat_template(tokenizer):
        raise SystemExit(f"{args.base} has no chat template: this benchmark is for chat models")
    levels = [int(x) for x in args.levels.split(",")]
    worked_pool = [
        arith.generate_problem(category, 2 + i % 2, 90_000 + i)
        for i, category in enumerate(["addition", "multiplication", "addition", "multiplication"])
    ]
    results: dict = {"base": args.base, "threads": args.threads, "by_shots": {}}
    for shots in [int(x) for x in args.shots.split(",")]:
        worked = tuple((p.text, solution_text(arith.solve(p))) for p in worked_pool[:shots])
        table, generated, seconds = {}, 0, 0.0
        for category in ("addition", "multiplication"):
            for level in levels:
                problems = [
                    arith.generate_problem(category, level, 10_000 * level + i)
                    for i in range(args.per_level)
                ]
                prompts = [chat_prompt(tokenizer, p.text, worked) for p in problems]
                longest = max(
                    len(tokenizer(solution_text(arith.solve(p)))["input_ids"]) for p in problems
                )
                started = time.monotonic()
                outputs = scoring.greedy(
                    model, tokenizer, prompts, longest + 24, [tokenizer.eos_token_id],
                    args.batch_size,
                )  # fmt: skip
                seconds += time.monotonic() - started
                generated += sum(
                    len(tokenizer(o, add_special_tokens=False)["input_ids"]) for o in outputs
                )
                solved = sum(scoring.solves(arith, p, o) for p, o in zip(problems, outputs))
                table[f"{category}:{level}"] = round(solved / len(problems), 4)
                if not args.json:
                    print(f"shots {shots} {category}:{level} {solved}/{len(problems)}", flush=True)
        results["by_shots"][shots] = {
            "pass_rate": table,
            "tokens_generated": generated,
            "generate_tokens_per_s": round(generated / seconds, 1) if seconds else None,
            "example_output": outputs[0][:200],
        }
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
