"""Does a GRPO update carry more signal than noise? RLVR on one `arith` difficulty, real reward
against a random one.

The learning benchmark found that no trained method beats the embedded base. This isolates why:
RLVR trains on problems of one difficulty where the base sometimes fails (3 digits by default,
so most groups have reward spread), and the same run is repeated with a random reward of the
same success rate — a control that carries no information. Greedy exact accuracy on fresh
problems of that difficulty is printed before and after each. Real reward above the control
means the update carries signal; real reward below the base means the noise still wins.
A benchmark, not a test: it prints what it measures.

    .venv/bin/python bench/grpo_signal.py [--lr 3e-4] [--lora 8] [--optim sgd] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from modelforge_arith.model_type import Arith
from modelforge_train import policy
from modelforge_train.base_model import embedded_base
from modelforge_train.rewards import outcome_reward
from modelforge_train.rlvr import rlvr_rows
from modelforge_train.settings import TrainSettings
from srl_vs_baselines import grpo, training_set

from modelforge import scoring


def random_reward(success_rate: float, seed: int):
    """1 with the base's success rate, else 0, whatever the completion says."""
    rng = random.Random(f"control:{seed}")

    def outcome(completions: list[str], **_) -> list[float]:
        return [float(rng.random() < success_rate) for _ in completions]

    return outcome


def lora(train: TrainSettings, rank: int):
    """The stages' own LoRA config at this rank (alpha 2·rank, no dropout)."""
    ranked = train.lora.model_copy(update={"r": rank, "alpha": 2 * rank, "dropout": 0.0})
    return policy.lora_config(train.model_copy(update={"lora": ranked}))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--level", type=int, default=3, help="the arith difficulty trained on")
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument(
        "--optim", default="adamw_torch_fused", help="a transformers optimizer name"
    )
    parser.add_argument("--lora", type=int, default=0, help="LoRA rank; 0 trains every weight")
    parser.add_argument("--prompts-per-step", type=int, default=4, help="8 completions each")
    parser.add_argument("--budget", type=int, default=300_000, help="tokens a run")
    parser.add_argument("--problems", type=int, default=64, help="held-out problems scored")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pretrain-tokens", type=int, default=2_000_000)
    parser.add_argument(
        "--data-dir", type=Path, default=Path.home() / ".cache" / "modelforge-bench"
    )
    parser.add_argument("--out", type=Path, default=Path("bench-results") / "grpo-signal")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    import datasets
    import torch

    datasets.disable_progress_bars()
    arith, train = Arith(), TrainSettings()
    stage = train.rlvr.model_copy(
        update={
            "learning_rate": args.lr,
            "optim": args.optim,
            "prompts_per_step": args.prompts_per_step,
            "beta": 0.0,
            "max_steps": 1_000_000,
        }
    )
    train = train.model_copy(update={"rlvr": stage, "seed": args.seed})
    train.embedded = train.embedded.model_copy(update={"pretrain_tokens": args.pretrain_tokens})
    base = embedded_base(arith, train.embedded, args.data_dir)
    problems = [
        p
        for p in scoring.held_out_problems(arith, args.problems // 2, seed=12345)
        if p.difficulty == args.level
    ]

    def accuracy(model, tokenizer) -> float:
        length = train.rlvr.max_completion_length
        return scoring.pass_rates(model, tokenizer, arith, problems, length)["overall"]

    examples = training_set(arith, 192, (args.level, args.level), args.seed)
    model, tokenizer = policy.load(base, None, train)
    before = accuracy(model, tokenizer)
    results = {"base": {"accuracy": before}}
    for name, reward in (
        ("real", outcome_reward(arith)),
        ("random", random_reward(before, args.seed)),
    ):
        torch.manual_seed(args.seed)
        model, tokenizer = policy.load(base, None, train)
        started = time.monotonic()
        trainer = grpo(
            model,
            tokenizer,
            rlvr_rows(arith, examples),
            reward,
            stage,
            train,
            args.out / f"{name}-{time.time_ns()}",
            args.budget,
            [],
            peft_config=lora(train, args.lora) if args.lora else None,
        )
        results[name] = {
            "accuracy": accuracy(trainer.model, tokenizer),
            "steps": trainer.state.global_step,
            "wall_s": round(time.monotonic() - started, 1),
        }
    report = {
        "level": args.level,
        "learning_rate": args.lr,
        "optim": args.optim,
        "lora_rank": args.lora,
        "prompts_per_step": args.prompts_per_step,
        "budget_tokens": args.budget,
        "problems": len(problems),
        "results": results,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(
            f"arith level {args.level}, {len(problems)} held-out problems, "
            f"{args.budget} tokens, lr {args.lr} {args.optim}, "
            f"{args.prompts_per_step}×8 completions an update, "
            f"{f'LoRA r={args.lora}' if args.lora else 'every weight'}"
        )
        for name, row in results.items():
            extra = f"  ({row['steps']} steps, {row['wall_s']} s)" if "steps" in row else ""
            print(f"  {name:<7} {row['accuracy']:.3f}{extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
