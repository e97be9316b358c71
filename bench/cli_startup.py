"""How long `modelforge --help` takes, against the bare interpreter (`python -c pass`).

Prints the median of several runs of each and their ratio. Not a test: it passes or fails
nothing, it reports. Run: python bench/cli_startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def median_seconds(command: list[str], runs: int) -> float:
    subprocess.run(command, capture_output=True, check=True)  # warm the file cache
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    entry = shutil.which("modelforge")
    command = [entry, "--help"] if entry else [sys.executable, "-m", "modelforge", "--help"]
    bare = median_seconds([sys.executable, "-c", "pass"], runs)
    helped = median_seconds(command, runs)
    print(f"python -c pass     median {bare * 1000:7.1f} ms  ({runs} runs)")
    print(f"modelforge --help  median {helped * 1000:7.1f} ms  ({runs} runs)")
    print(f"ratio              {helped / bare:7.1f}x")


if __name__ == "__main__":
    main()
