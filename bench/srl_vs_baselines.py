"""The learning benchmark: base, SFT, RLVR, SRL, SRL→RLVR and SRL with the title hint on `arith`.

Every method starts from the same locally pre-trained embedded base, trains on the same expert
trajectories (RLVR on their problems) under the same compute budget — tokens processed, that is
generated plus trained on — and is scored on the same fresh held-out problems per difficulty:
exact-answer accuracy, mean step similarity on held-out step instances, and pass@8 (sampling
at temperature 1) on the two hardest levels: whether a correct solution is within reach at all,
which is what RLVR needs and SRL claims to give. Several seeds; the spread is reported. Also times the trainer against a bare TRL GRPOTrainer on the same data.
A benchmark, not a test: it prints what it measures, it does not judge.

    .venv/bin/python bench/srl_vs_baselines.py --quick [--json] [--out DIR]
    .venv/bin/python bench/srl_vs_baselines.py            # the full run

The pre-trained base is cached in --data-dir (made once; its time is reported apart).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

from modelforge_arith.model_type import Arith
from modelforge_train import policy
from modelforge_train.base_model import RECORD, BaseModel, embedded_base
from modelforge_train.grpo_run import StepReporter, run_grpo
from modelforge_train.rewards import outcome_reward, step_similarity_reward
from modelforge_train.rlvr import rlvr_rows
from modelforge_train.settings import EmbeddedBaseSettings, TrainSettings
from modelforge_train.srl import srl_rows

from modelforge import hf_models, scoring
from modelforge.artifacts import checksum
from modelforge.modeltype import Trajectory
from modelforge.policy_format import problem_prompt, solution_text

METHODS = ("base", "sft", "rlvr", "srl", "srl_rlvr", "srl_hint")
PASS_K = 8
# Supervised next-token training moves this small model only at rates near its pre-training's
# (3e-3): at GRPO's 5e-5 SFT left the base's column habits unchanged (docs/training.md).
SFT_LEARNING_RATE = 1e-3
MODES = {
    # A miniature of the full run: the same base, training set, levels and methods, fewer
    # seeds, tokens and held-out problems; if the method works, the same ordering shows.
    "quick": {
        "budget": 200_000,
        "seeds": 2,
        "train_examples": 192,
        "train_levels": (2, 7),
        "eval_levels": (2, 3, 4, 5, 6, 7),
        "eval_per_level": 4,
        "points": (),
        "overhead_steps": 3,
    },
    "full": {
        "budget": 500_000,  # 1M took 80+ min on 2 cores with six rows and pass@8
        "seeds": 3,
        "train_examples": 192,
        "train_levels": (2, 7),
        "eval_levels": (2, 3, 4, 5, 6, 7),
        "eval_per_level": 8,
        "points": (0.5,),  # and the end of the budget
        "overhead_steps": 10,
    },
}


class Example:
    """What srl_rows and rlvr_rows read from a stored example, made without a database."""

    def __init__(self, example_id: int, trajectory: Trajectory):
        self.id = example_id
        self._trajectory = trajectory

    def trajectory(self) -> Trajectory:
        return self._trajectory


def training_set(arith: Arith, count: int, levels: tuple[int, int], seed: int) -> list[Example]:
    rng = random.Random(f"bench-train:{seed}")
    out = []
    for index in range(count):
        category = rng.choice(["addition", "multiplication"])
        problem = arith.generate_problem(category, rng.randint(*levels), rng.randrange(1 << 30))
        out.append(Example(index, Trajectory(problem, tuple(arith.solve(problem)), "")))
    return out


class Scorer:
    """Held-out accuracy per difficulty and mean step similarity, for one model."""

    def __init__(self, arith: Arith, mode: dict, train: TrainSettings):
        problems = scoring.held_out_problems(arith, mode["eval_per_level"], seed=12345)
        self.problems = [p for p in problems if p.difficulty in mode["eval_levels"]]
        self.arith, self.train = arith, train

    def __call__(self, model, tokenizer) -> dict:
        rates = scoring.pass_rates(
            model, tokenizer, self.arith, self.problems, self.train.rlvr.max_completion_length
        )
        by_level: dict[str, list[float]] = {}
        for key, value in rates["by_difficulty"].items():
            by_level.setdefault(key.split(":")[1], []).append(value)
        sample = self.problems[:: max(1, len(self.problems) // 8)]
        hardest = sorted({p.difficulty for p in self.problems})[-2:]
        return {
            "overall": rates["overall"],
            "by_difficulty": {level: round(statistics.mean(v), 4) for level, v in by_level.items()},
            "by_category": rates["by_difficulty"],
            "step_similarity": scoring.step_similarity(model, tokenizer, self.arith, sample),
            "pass_at_8": scoring.pass_at_k(
                model,
                tokenizer,
                self.arith,
                [p for p in self.problems if p.difficulty in hardest],
                PASS_K,
                self.train.rlvr.max_completion_length,
            ),
        }


def budget_points(scorer: Scorer, budget: int, fractions, offset: int, curve: list):
    """A callback scoring the model each time the token count passes a fraction of the budget."""
    from transformers import TrainerCallback

    pending = [f * budget for f in fractions]

    class Points(TrainerCallback):
        trainer = None

        def on_step_end(self, args, state, control, **_):
            tokens = offset + self.trainer.tokens_generated + self.trainer.tokens_trained
            while pending and tokens >= pending[0]:
                pending.pop(0)
                score = scorer(self.trainer.model, self.trainer.processing_class)
                curve.append({"tokens": tokens, "overall": score["overall"]})

    return Points()


def grpo(
    model, tokenizer, rows, reward, stage, train, out: Path, budget, callbacks, peft_config=None
):
    from datasets import Dataset

    reporter = StepReporter(lambda metrics: None, token_budget=budget)
    stop = policy.stop_ids(tokenizer, at_line_end=stage is train.srl)
    return run_grpo(
        model,
        tokenizer,
        Dataset.from_list(rows),
        reward,
        stage,
        train,
        out,
        reporter,
        stop_ids=stop,
        peft_config=peft_config,
        extra_callbacks=callbacks,
    )


def sft(
    model,
    tokenizer,
    examples,
    train: TrainSettings,
    out: Path,
    budget,
    curve,
    scorer,
    seed,
    fractions,
):
    """TRL's SFTTrainer on the expert solutions until the same token budget is spent."""
    import torch
    from datasets import Dataset
    from transformers import PrinterCallback, TrainerCallback
    from trl import SFTConfig, SFTTrainer

    rows = [
        {
            "prompt": problem_prompt(e.trajectory().problem, tokenizer),
            "completion": solution_text(e.trajectory().steps),
        }  # SFTTrainer appends EOS
        for e in examples
    ]
    pending = [f * budget for f in fractions]

    class Budget(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **_):
            tokens = (logs or {}).get("num_tokens", 0)
            while pending and tokens >= pending[0]:
                pending.pop(0)
                curve.append(
                    {"tokens": int(tokens), "overall": scorer(model, tokenizer)["overall"]}
                )
            if tokens >= budget:
                control.should_training_stop = True

    config = SFTConfig(
        output_dir=str(out),
        max_steps=10_000,
        learning_rate=SFT_LEARNING_RATE,
        per_device_train_batch_size=8,
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        use_cpu=not torch.cuda.is_available(),
        bf16=False,
        seed=seed,
        disable_tqdm=True,
        lr_scheduler_type="constant",
    )
    trainer = SFTTrainer(
        model=model,
        args=config,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
        callbacks=[Budget()],
    )
    trainer.remove_callback(PrinterCallback)  # the table is the output, not per-step logs
    trainer.train()
    return trainer.model


def run_method(method, base, arith, examples, train, scorer, mode, out: Path, seed) -> dict:
    import torch

    torch.manual_seed(seed)
    model, tokenizer = policy.load(base, None, train)
    budget, curve, started = mode["budget"], [], time.monotonic()
    unbounded = {"max_steps": 1_000_000}  # the token budget ends training, not a step count
    seeded = train.model_copy(
        update={
            "seed": seed,
            "srl": train.srl.model_copy(update=unbounded),
            "rlvr": train.rlvr.model_copy(update=unbounded),
        }
    )
    if method == "sft":
        model = sft(
            model, tokenizer, examples, seeded, out, budget, curve, scorer, seed, mode["points"]
        )
    elif method in ("srl", "srl_hint", "rlvr"):
        stage = seeded.rlvr if method == "rlvr" else seeded.srl
        rows = (
            rlvr_rows(arith, examples, tokenizer=tokenizer)
            if method == "rlvr"
            else srl_rows(arith, examples, title_hint=method == "srl_hint", tokenizer=tokenizer)
        )
        reward = (
            outcome_reward(arith)
            if method == "rlvr"
            else step_similarity_reward(arith, seeded.similarity)
        )
        points = budget_points(scorer, budget, mode["points"], 0, curve)
        model = grpo(model, tokenizer, rows, reward, stage, seeded, out, budget, [points]).model
    elif method == "srl_rlvr":
        half = budget // 2
        points = budget_points(scorer, budget, mode["points"], 0, curve)
        srl = grpo(
            model,
            tokenizer,
            srl_rows(arith, examples, tokenizer=tokenizer),
            step_similarity_reward(arith, seeded.similarity),
            seeded.srl,
            seeded,
            out / "srl",
            half,
            [points],
        )
        spent = srl.tokens_generated + srl.tokens_trained
        points = budget_points(
            scorer, budget, [f for f in mode["points"] if f * budget > spent], spent, curve
        )
        model = grpo(
            srl.model,
            tokenizer,
            rlvr_rows(arith, examples, tokenizer=tokenizer),
            outcome_reward(arith),
            seeded.rlvr,
            seeded,
            out / "rlvr",
            budget - spent,
            [points],
        ).model
    score = scorer(model, tokenizer)
    curve.append({"tokens": budget, "overall": score["overall"]})  # the end of the budget
    return {**score, "curve": curve, "wall_s": round(time.monotonic() - started, 1)}


def overhead(base, arith, examples, train, steps: int, out: Path) -> dict:
    """Wall time of the modelforge trainer (dynamic sampling off) against a bare GRPOTrainer."""
    from datasets import Dataset
    from modelforge_train.grpo_run import grpo_config
    from modelforge_train.sampling import DynamicSamplingGRPOTrainer
    from transformers import PrinterCallback
    from trl import GRPOTrainer

    stage = train.srl.model_copy(update={"max_steps": steps})
    timings: dict[str, float] = {}
    # Alternating, best of two: the first run of a process pays warm-up costs.
    for name, cls, extra in [
        ("modelforge", DynamicSamplingGRPOTrainer, {"dynamic_sampling": False}),
        ("bare", GRPOTrainer, {}),
    ] * 2:
        model, tokenizer = policy.load(base, None, train)
        config = grpo_config(
            stage, train, out / name, stop_ids=policy.stop_ids(tokenizer, at_line_end=True)
        )
        config.save_strategy = "no"
        trainer = cls(
            model=model,
            reward_funcs=step_similarity_reward(arith),
            args=config,
            train_dataset=Dataset.from_list(srl_rows(arith, examples, tokenizer=tokenizer)),
            processing_class=tokenizer,
            **extra,
        )
        trainer.remove_callback(PrinterCallback)
        started = time.monotonic()
        trainer.train()
        timings[name] = min(timings.get(name, float("inf")), time.monotonic() - started)
    return {
        "steps": steps,
        "bare_s": round(timings["bare"], 2),
        "modelforge_s": round(timings["modelforge"], 2),
        "ratio": round(timings["modelforge"] / timings["bare"], 3),
    }


def aggregate(per_seed: dict[str, list[dict]]) -> dict:
    results = {}
    for method, runs in per_seed.items():
        overall = [r["overall"] for r in runs]
        levels = runs[0]["by_difficulty"].keys()
        results[method] = {
            "overall": round(statistics.mean(overall), 4),
            "overall_spread": round(statistics.pstdev(overall), 4),
            "by_difficulty": {
                lv: round(statistics.mean(r["by_difficulty"][lv] for r in runs), 4) for lv in levels
            },
            "step_similarity": round(statistics.mean(r["step_similarity"] for r in runs), 4),
            "pass_at_8": round(statistics.mean(r["pass_at_8"] for r in runs), 4),
            "pass_at_8_spread": round(statistics.pstdev(r["pass_at_8"] for r in runs), 4),
            "wall_s": round(statistics.mean(r["wall_s"] for r in runs), 1),
            "seeds": runs,
        }
    return results


def plot(results: dict, budget: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4))
    for method, entry in results.items():
        points = sorted((p["tokens"], p["overall"]) for run in entry["seeds"] for p in run["curve"])
        if method == "base":
            axes.axhline(entry["overall"], color="grey", linestyle="--", label="base")
        elif points:
            axes.plot(*zip(*points), marker="o", linestyle="", label=method)
    axes.set_xlabel("tokens processed (generated + trained on)")
    axes.set_ylabel("held-out exact accuracy")
    axes.set_xlim(0, budget * 1.1)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)


def table(results: dict) -> str:
    levels = list(next(iter(results.values()))["by_difficulty"])
    head = f"{'method':<10}{'overall':>14}" + "".join(f"{'d' + lv:>7}" for lv in levels)
    lines = [head + f"{'step sim':>10}{'pass@8':>14}{'wall s':>8}"]
    for method, entry in results.items():
        lines.append(
            f"{method:<10}{entry['overall']:>8.3f}±{entry['overall_spread']:<5.3f}"
            + "".join(f"{entry['by_difficulty'][lv]:>7.2f}" for lv in levels)
            + f"{entry['step_similarity']:>10.3f}"
            + f"{entry['pass_at_8']:>8.3f}±{entry['pass_at_8_spread']:<5.3f}{entry['wall_s']:>8.1f}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a miniature of the full run: under 10 minutes on 2 CPU cores",
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--out", type=Path, default=Path("bench-results"))
    parser.add_argument(
        "--data-dir", type=Path, default=Path.home() / ".cache" / "modelforge-bench"
    )
    parser.add_argument("--seeds", type=int, help="override the mode's number of seeds")
    parser.add_argument(
        "--pretrain-tokens",
        type=int,
        default=2_000_000,
        help="the embedded base's pre-training budget (made once, cached, reported apart)",
    )
    parser.add_argument(
        "--pretrain-levels",
        type=int,
        default=4,
        help="the lowest difficulties of each category the base is pre-trained on (4: 2-5 "
        "digits; with 2, the base learns that the last column holds the leading digits)",
    )
    parser.add_argument("--budget", type=int, help="override the mode's token budget")
    parser.add_argument(
        "--eval-per-level", type=int, help="override the mode's held-out problems a level"
    )
    parser.add_argument(
        "--embedded",
        default="",
        metavar="KEY=VALUE,...",
        help="[train.embedded] keys for the base, e.g. hidden_size=512,layers=8 (a larger "
        "base for a GPU)",
    )
    parser.add_argument(
        "--base",
        help="a saved model folder, or the name of a base imported with `modelforge base "
        "import`, to start from instead of the embedded base (a chat model's prompts go "
        "through its chat template)",
    )
    args = parser.parse_args(argv)
    import datasets
    import torch

    datasets.disable_progress_bars()  # the table is the output
    mode = dict(MODES["quick" if args.quick else "full"])
    if args.seeds:
        mode["seeds"] = args.seeds
    if args.budget:
        mode["budget"] = args.budget
    if args.eval_per_level:
        mode["eval_per_level"] = args.eval_per_level
    train, arith = TrainSettings(), Arith()
    pairs = (item.split("=", 1) for item in args.embedded.split(",") if item)
    overrides = {key: json.loads(value) for key, value in pairs}  # numbers, typed
    train.embedded = EmbeddedBaseSettings.model_validate(
        {
            **train.embedded.model_dump(),
            "pretrain_tokens": args.pretrain_tokens,
            "pretrain_levels": args.pretrain_levels,
            **overrides,
        }
    )
    started = time.monotonic()
    if args.base:
        folder = hf_models.resolve(args.base)  # a folder, or a base imported under MODELFORGE_HOME
        base = BaseModel(args.base, folder, checksum(Path(folder))[0])
    else:
        base = embedded_base(arith, train.embedded, args.data_dir)
    record_file = Path(base.path) / RECORD
    base_record = json.loads(record_file.read_text()) if record_file.exists() else {}
    scorer = Scorer(arith, mode, train)
    per_seed: dict[str, list[dict]] = {method: [] for method in METHODS}
    for seed in range(mode["seeds"]):
        examples = training_set(arith, mode["train_examples"], mode["train_levels"], seed)
        for method in METHODS:
            out = args.out / "runs" / f"{method}-{seed}"
            per_seed[method].append(
                run_method(method, base, arith, examples, train, scorer, mode, out, seed)
            )
            print(f"seed {seed} {method}: {per_seed[method][-1]['overall']}", file=sys.stderr)
    results = aggregate(per_seed)
    trained = [run for m in METHODS if m != "base" for run in per_seed[m]]
    report = {
        "results": results,
        "budget": {"tokens": mode["budget"], "unit": "tokens generated + trained on"},
        "mode": "quick" if args.quick else "full",
        "device": "cuda" if torch.cuda.is_available() else "cpu",
        "base": {
            "name": base.name,
            "parameters": base_record.get("parameters"),
            "pretrain_seconds": base_record.get("seconds"),
        },
        "overhead": overhead(
            base,
            arith,
            training_set(arith, 16, (2, 4), 99),
            train,
            mode["overhead_steps"],
            args.out / "overhead",
        ),
        "tokens_per_s": round(
            mode["budget"] * len(trained) / sum(run["wall_s"] for run in trained), 1
        ),
        "wall_s": round(time.monotonic() - started, 1),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "srl_vs_baselines.json").write_text(json.dumps(report, indent=2))
    plot(results, mode["budget"], args.out / "srl_vs_baselines.png")
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(table(results))
        print(
            f"budget {mode['budget']} tokens; {report['tokens_per_s']} tokens/s in training "
            f"(scoring included); overhead ratio {report['overhead']['ratio']}; "
            f"wall {report['wall_s']} s; max RSS {report['max_rss_mb']} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
