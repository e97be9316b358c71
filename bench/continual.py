"""Continual learning through the lifecycle itself: N cycles of `modelforge run --once` on
`arith`, each starting from the type's champion, in three arms, several seeds.

Arms (every one with [train] start = "champion"):
  srl_rlvr   SRL then RLVR each cycle (the default lifecycle)
  rlvr_only  RLVR alone ([train.srl] max_steps = 0: RLVR starts each cycle from the champion)
  shuffled   SRL then RLVR with each batch's rewards shuffled ([train] shuffle_rewards): the
             no-information control
  edge       SRL then RLVR with [generate] mix = "edge" (the mix by the champion's edge of
             competence), to compare with srl_rlvr (the weakness mix); only with --arms

Each arm and seed runs in a data directory of its own, through the real command line (the code
path of `run --once`: generation, SRL, RLVR, evaluation, tracking, selection), with fresh
examples every cycle; the embedded base is pre-trained once and copied into each directory, its
time reported apart. Every point is the cycle's trained model on the type's fixed test set
(`modelforge curve --json`). A benchmark, not a test: it prints what it measures.

    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python bench/continual.py --quick [--json]
    OMP_NUM_THREADS=1 nice -n 10 .venv/bin/python bench/continual.py          # the full run
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ARMS = {  # arm -> (SRL on, rewards shuffled, [generate] mix)
    "srl_rlvr": (True, False, "weakness"),
    "rlvr_only": (False, False, "weakness"),
    "shuffled": (True, True, "weakness"),
    "edge": (True, False, "edge"),
}
DEFAULT_ARMS = (
    "srl_rlvr",
    "rlvr_only",
    "shuffled",
)  # the three, fixed before the first run
# Fixed before the first run. quick is a miniature of full: fewer cycles and steps.
MODES = {
    "quick": {
        "cycles": 2,
        "seeds": (0, 1, 2),
        "srl_steps": 4,
        "rlvr_steps": 4,
        "per_cycle": 24,  # generated each cycle: SRL draws a third, RLVR the rest
        "srl_examples": 8,
        "rlvr_examples": 16,
        "test_per_category": 22,
    },
    "full": {
        "cycles": 4,
        "seeds": (0, 1, 2),
        "srl_steps": 20,
        "rlvr_steps": 12,
        "per_cycle": 96,
        "srl_examples": 32,
        "rlvr_examples": 64,
        "test_per_category": 44,
    },
}
CONFIG = """
[types.arith]
enabled = true

[generate]
per_cycle = {per_cycle}
pool_target = 0
mix = "{mix}"

[evaluate]
per_category = 11
test_per_category = {test_per_category}
test_seed = 23  # every arm and seed tests on the same problems (fixed before the full run)
step_similarity_per_category = 0

[train]
seed = {seed}
start = "champion"
eval_problems_per_level = 0
validation_problems_per_level = 0
shuffle_rewards = {shuffled}

[train.srl]
max_steps = {srl_steps}
num_generations = 4
prompts_per_step = 4
max_examples = {srl_examples}

[train.rlvr]
max_steps = {rlvr_steps}
num_generations = 4
prompts_per_step = 4
max_examples = {rlvr_examples}
max_completion_length = 320
"""


def config_for(arm: str, seed: int, mode: dict) -> str:
    srl_on, shuffled, mix = ARMS[arm]
    return CONFIG.format(
        mix=mix,
        per_cycle=mode["per_cycle"],
        srl_examples=mode["srl_examples"],
        rlvr_examples=mode["rlvr_examples"],
        test_per_category=mode["test_per_category"],
        seed=seed,
        srl_steps=mode["srl_steps"] if srl_on else 0,
        rlvr_steps=mode["rlvr_steps"],
        shuffled=str(shuffled).lower(),
    )


def modelforge(home: Path, *args: str) -> str:
    """The command line in this process (its code path), output captured."""
    from click.testing import CliRunner

    from modelforge.cli.main import build_cli
    from modelforge.plugins import load_plugins

    result = CliRunner().invoke(
        build_cli(load_plugins()), ["--home", str(home), *args], catch_exceptions=False
    )
    if result.exit_code != 0:
        raise SystemExit(
            f"modelforge {' '.join(args)} failed ({result.exit_code}):\n{result.output}"
        )
    return result.output


def make_base(cache: Path, mode: dict) -> float:
    """Pre-train the embedded arith base once (its time is not a cycle's)."""
    started = time.monotonic()
    if not (cache / "base_models").exists():
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "config.toml").write_text(config_for("srl_rlvr", 0, mode))
        from modelforge_train import policy

        from modelforge.app import App
        from modelforge.plugins import load_plugins, stage_model_type

        app = App(load_plugins(), home=str(cache))
        arith = stage_model_type(app.plugins, "arith")
        policy.resolve_base(app.config.section("train"), arith, app.config.data_dir)
    return round(time.monotonic() - started, 1)


def run_arm(arm: str, seed: int, mode: dict, cache: Path, work: Path) -> dict:
    home = work / f"{arm}-{seed}"
    home.mkdir(parents=True)
    shutil.copytree(cache / "base_models", home / "base_models")
    (home / "config.toml").write_text(config_for(arm, seed, mode))
    walls = []
    for _ in range(mode["cycles"]):
        started = time.monotonic()
        modelforge(home, "run", "--once", "--type", "arith")
        walls.append(round(time.monotonic() - started, 1))
    curve = json.loads(modelforge(home, "curve", "--type", "arith", "--json"))["arith"]
    starts = json.loads(modelforge(home, "events", "--kind", "train.start", "--json"))
    return {"seed": seed, "curve": curve, "cycle_wall_s": walls, "starts": starts}


def spread(values: list[float]) -> dict:
    return {
        "mean": round(statistics.mean(values), 4),
        "sd": round(statistics.stdev(values), 4) if len(values) > 1 else 0.0,
        "min": round(min(values), 4),
        "max": round(max(values), 4),
    }


def summarise(runs: list[dict], cycles: int) -> list[dict]:
    """Per cycle index: the arm's pass rate, per difficulty and rewards over its seeds."""
    out = []
    for index in range(cycles):
        points = [run["curve"][index] for run in runs if len(run["curve"]) > index]
        if not points:
            break
        levels = sorted({level for p in points for level in p["by_difficulty"]}, key=int)
        rewards = {
            key: [p[key] for p in points if p[key] is not None]
            for key in ("srl_reward", "rlvr_reward")
        }
        out.append(
            {
                "cycle": index + 1,
                "pass_rate": spread([p["pass_rate"]["rate"] for p in points]),
                "by_difficulty": {
                    level: spread(
                        [
                            p["by_difficulty"][level]["rate"]
                            for p in points
                            if level in p["by_difficulty"]
                        ]
                    )
                    for level in levels
                },
                "srl_reward": spread(rewards["srl_reward"]) if rewards["srl_reward"] else None,
                "rlvr_reward": spread(rewards["rlvr_reward"]) if rewards["rlvr_reward"] else None,
                "wall_s": spread([run["cycle_wall_s"][index] for run in runs]),
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="the ≤ 10 min miniature")
    parser.add_argument("--json", action="store_true", help="print only the JSON")
    parser.add_argument(
        "--arms", default=",".join(DEFAULT_ARMS), help=f"comma list of: {', '.join(ARMS)}"
    )
    parser.add_argument("--keep", type=Path, help="keep the data directories here")
    parser.add_argument(
        "--base-cache", type=Path, help="a folder holding (or to hold) the pre-trained base"
    )
    parser.add_argument("--out", type=Path, help="also write the JSON here, after every seed")
    parser.add_argument(
        "--combine", type=Path, nargs="+", help="print one table from earlier --out files"
    )
    args = parser.parse_args()
    if args.combine:
        return combine(args.combine)
    mode = MODES["quick" if args.quick else "full"]
    arms = [arm for arm in args.arms.split(",") if arm]
    started = time.monotonic()
    work = args.keep or Path(tempfile.mkdtemp(prefix="continual-"))
    work.mkdir(parents=True, exist_ok=True)
    cache = args.base_cache or work / "base-cache"
    base_s = make_base(cache, mode)
    result: dict = {
        "mode": "quick" if args.quick else "full",
        "settings": mode,
        "arms": {},
        "base_pretrain_s": base_s,
    }
    for arm in arms:
        runs = []
        for seed in mode["seeds"]:
            runs.append(run_arm(arm, seed, mode, cache, work))
            if not args.json:
                print(
                    f"{arm} seed {seed}: "
                    + ", ".join(
                        f"cycle {p['cycle']} {p['pass_rate']['rate']:.3f}"
                        for p in runs[-1]["curve"]
                    )
                    + f" ({sum(runs[-1]['cycle_wall_s']):.0f} s)",
                    file=sys.stderr,
                    flush=True,
                )
            result["arms"][arm] = {"cycles": summarise(runs, mode["cycles"]), "seeds": runs}
            if args.out:
                args.out.write_text(json.dumps(result, indent=2))
    result["wall_s"] = round(time.monotonic() - started, 1)
    if args.out:
        args.out.write_text(json.dumps(result, indent=2))
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    if not args.json:
        print_table(result)
    print(json.dumps(result, indent=2))


def combine(files: list[Path]) -> None:
    """One result from runs of separate arms (each its own --out file)."""
    parts = [json.loads(path.read_text()) for path in files]
    result = {**parts[0], "arms": {}, "wall_s": max(p["wall_s"] for p in parts if "wall_s" in p)}
    for part in parts:
        result["arms"].update(part["arms"])
    print_table(result)
    print(json.dumps(result, indent=2))


def print_table(result: dict) -> None:
    print(
        f"{'arm':<10} {'cycle':>5} {'pass rate (mean ± sd)':>22} {'srl r':>7} {'rlvr r':>7} {'wall s':>7}"
    )
    for arm, data in result["arms"].items():
        for c in data["cycles"]:
            rate = c["pass_rate"]
            srl = f"{c['srl_reward']['mean']:.3f}" if c["srl_reward"] else "-"
            rlvr = f"{c['rlvr_reward']['mean']:.3f}" if c["rlvr_reward"] else "-"
            print(
                f"{arm:<10} {c['cycle']:>5} {rate['mean']:>14.3f} ± {rate['sd']:.3f} "
                f"{srl:>7} {rlvr:>7} {c['wall_s']['mean']:>7.0f}"
            )
    print(f"base pre-training {result['base_pretrain_s']} s; total {result['wall_s']} s")


if __name__ == "__main__":
    main()
