"""Where a cycle's time goes: profile a modelforge command in CPU seconds.

The profiler's clock is `time.process_time`, so a machine shared with other jobs changes the
figures far less than wall seconds; run with OMP_NUM_THREADS=1 so no CPU is spent spinning.
Prints the wall and CPU seconds, and the functions with the most cumulative CPU time; the
whole profile is written to OUT for `python -m pstats`. Results: docs/lifecycle.md.

    OMP_NUM_THREADS=1 MODELFORGE_HOME=DIR .venv/bin/python bench/cycle_profile.py OUT \\
        run --once --type arith
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time


def main(out: str, args: list[str]) -> None:
    from modelforge.cli.main import build_cli
    from modelforge.plugins import load_plugins

    cli = build_cli(load_plugins())
    profile = cProfile.Profile(timer=time.process_time)
    wall, cpu = time.monotonic(), time.process_time()
    try:
        profile.runcall(cli.main, args=args, prog_name="modelforge", standalone_mode=False)
    finally:
        profile.dump_stats(out)
        print(f"wall {time.monotonic() - wall:.1f} s, cpu {time.process_time() - cpu:.1f} s")
        pstats.Stats(out).sort_stats("cumulative").print_stats(r"modelforge|generation", 40)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python bench/cycle_profile.py OUT MODELFORGE-ARGS...")
    main(sys.argv[1], sys.argv[2:])
