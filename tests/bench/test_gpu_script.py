"""bench/gpu.sh runs unchanged on a CPU with --smoke: the whole benchmark, every method, at a
size that takes minutes, printing the table and tokens/s and writing the JSON it promises."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
METHODS = {"base", "sft", "rlvr", "srl", "srl_rlvr", "srl_hint", "rlvr_shuffled", "srl_shuffled"}


@pytest.mark.slow
def test_gpu_script_smoke_runs_every_method_on_a_cpu(tmp_path):
    env = {**os.environ, "OUT": str(tmp_path / "out"), "PYTHON": sys.executable}
    done = subprocess.run(
        ["bash", str(ROOT / "bench" / "gpu.sh"), "--smoke"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "device: cpu" in done.stdout
    rows = {line.split()[0] for line in done.stdout.splitlines() if line.strip()}
    assert METHODS <= rows  # a table row per method
    assert "tokens/s" in done.stdout
    report = json.loads((tmp_path / "out" / "srl_vs_baselines.json").read_text())
    assert set(report["fresh"]) == {"signal (4 digits)", "starved (5 digits)"}
    for rows in report["fresh"].values():
        assert METHODS <= set(rows)
        for method, entry in rows.items():
            assert {"accuracy", "seeds", "pass_at_8", "step_similarity"} <= set(entry)
            assert 0 <= entry["pass_at_8"] <= 1
            if method not in ("base", "sft"):  # every GRPO run records its curve
                curve = entry["seeds"][0]["reward_curve"]
                assert curve[0]["tokens"] == 0 and curve[-1]["tokens"] > 0
                assert {"tokens", "reward", "held_out_reward"} <= set(curve[-1])
    assert set(report["fixed"]["signal (4 digits)"]) == {"base", "sft", "rlvr", "srl", "srl_rlvr"}
    assert report["budget"]["tokens"] == 3000 and report["tokens_per_s"] > 0


def test_gpu_script_refuses_an_unknown_flag():
    done = subprocess.run(
        ["bash", str(ROOT / "bench" / "gpu.sh"), "--fast"],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "usage: bash bench/gpu.sh [--smoke]" in done.stderr
