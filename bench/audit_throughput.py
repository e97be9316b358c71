"""Throughput of `modelforge audit --format json` beside `grep -rcwiE` over the same tree.

Generates 10,000 Markdown task files (about 100 MB) in a temporary folder, times both over
it (the page cache warmed by a first grep), and prints MB/s for each and their ratio.
There is no target: the former one (within 5x of grep) is retired, since task trees are a few
megabytes and a few MB/s audit one in well under a second. A benchmark, not a test: it
prints, it does not judge.

    .venv/bin/python bench/audit_throughput.py [--files 10000] [--kb 10] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GREP_PATTERN = r"fine-?tun\w*|lora|train\w*|historical|serving|hot-swap|test\w* framework"
PARAGRAPHS = [
    "Process the historical conversation logs into a training dataset before fine-tuning.",
    "Train LoRA adapters for each personality on the prepared data.",
    "Load adapters at runtime and hot-swap them without restarting the server.",
    "Build a testing framework that validates the models against held-out prompts.",
    "Historical data stored for metrics is shown on the dashboard.",
    "Rule: test data is never used for training.",
    "Catalogue the flora of the region for the plant model's knowledge base.",
    "Write the user guide, with screenshots of every screen and a glossary of terms.",
]
TITLES = [
    "Historical Log Processing",
    "LoRA Adapter System",
    "Model Serving",
    "Testing Framework",
    "Metrics Dashboard",
    "Release Notes",
    "Response Cache",
    "Model Selection",
]


def task_file(rng: random.Random, number: int, size: int) -> str:
    parts = [f"# Plan {number}\n\n## Phase {number % 9}\n\n"]
    task = 0
    while sum(map(len, parts)) < size:
        task += 1
        parts.append(f"### TASK-{number:05d}-{task:03d}: {rng.choice(TITLES)}\n\n")
        parts.append(f"**Task ID:** ALT-{number:05d}-{task:03d}\n\n")
        for _ in range(rng.randint(2, 6)):
            parts.append(" ".join(rng.choices(PARAGRAPHS, k=3)) + "\n\n")
        if rng.random() < 0.2:
            parts.append("```python\n### NOT-001: code\nmodel.train()\n```\n\n")
    return "".join(parts)


def generate(folder: Path, files: int, kb: int) -> int:
    rng = random.Random(7)
    total = 0
    for number in range(files):
        sub = folder / f"team{number % 50:02d}"
        sub.mkdir(exist_ok=True)
        data = task_file(rng, number, kb * 1000).encode()
        (sub / f"tasks-{number:05d}.md").write_bytes(data)
        total += len(data)
    return total


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        command, check=False, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{command[0]} failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--kb", type=int, default=10, help="size of each file in kB")
    parser.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="audit-bench-"))
    tree = args.keep or work / "tree"
    tree.mkdir(parents=True, exist_ok=True)
    size = generate(tree, args.files, args.kb)
    env = {**os.environ, "MODELFORGE_HOME": str(work / "home")}
    env.pop("MODELFORGE_CONFIG", None)
    modelforge = str(Path(sys.executable).with_name("modelforge"))
    grep = ["grep", "-rcwiE", GREP_PATTERN, str(tree)]
    try:
        timed(grep, env)  # warm the page cache for both
        grep_s = timed(grep, env)
        audit_s = timed([modelforge, "audit", str(tree), "--format", "json"], env)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    mb = size / 1e6
    print(f"tree: {args.files} files, {mb:.1f} MB")
    print(f"grep -rcwiE:                    {grep_s:7.2f} s  {mb / grep_s:8.1f} MB/s")
    print(f"modelforge audit --format json: {audit_s:7.2f} s  {mb / audit_s:8.1f} MB/s")
    print(f"ratio (audit time / grep time): {audit_s / grep_s:.1f}x")


if __name__ == "__main__":
    main()
