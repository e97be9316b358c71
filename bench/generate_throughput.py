"""Generation benchmark: verified `arith` trajectories per second with the procedural roles, and
the cost of one insert with its duplicate checks as the store grows (10k, 100k, 1M examples).

The store is filled in bulk (one executemany per chunk) with rows that stand for distinct
examples: random content hashes and random MinHash signatures, with their band buckets, as
distinct problems give. Then real `ExampleStore.add` calls are timed on top of it.

    .venv/bin/python bench/generate_throughput.py [--examples 2000] [--sizes 10000,100000,1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import struct
import tempfile
import time
from pathlib import Path


def throughput(count: int) -> dict:
    from modelforge_generate.batch import run_batch
    from modelforge_generate.roles import build_roles
    from modelforge_generate.settings import GenerateSettings

    from modelforge.app import App
    from modelforge.plugins import load_plugins, model_types

    app = App(load_plugins())
    arith = model_types(app.plugins)["arith"]
    config = GenerateSettings(seed=1)
    started = time.perf_counter()
    report = run_batch(app.db, arith, build_roles(arith, config, {}), config, count)
    seconds = time.perf_counter() - started
    return {
        "stored": report.accepted,
        "attempts": report.attempts,
        "seconds": round(seconds, 2),
        "per_second": round(report.accepted / seconds, 1),
    }


def bulk_fill(db, batch_id: int, upto: int, have: int, rng: random.Random) -> None:
    from modelforge.examples import content

    chunk = 20_000
    with db.engine.begin() as connection:
        raw = connection.connection.driver_connection
        next_id = have + 1
        while next_id <= upto:
            ids = range(next_id, min(upto, next_id + chunk - 1) + 1)
            examples, bands = [], []
            for example_id in ids:
                sig = struct.pack(
                    f"<{content.PERMUTATIONS}I",
                    *(rng.getrandbits(32) for _ in range(content.PERMUTATIONS)),
                )
                examples.append((example_id, f"{rng.getrandbits(128):032x}", sig, batch_id))
                bands += [
                    (example_id, band, bucket) for band, bucket in enumerate(content.bands(sig))
                ]
            raw.executemany(
                "INSERT INTO examples (id, model_type, category, difficulty, problem, steps, outcome,"
                " content_hash, signature, provenance, batch_id, created_at)"
                " VALUES (?, 'arith', 'addition', 6, '{}', '[]', '0', ?, ?, '{}', ?, '2026-01-01 00:00:00')",
                examples,
            )
            raw.executemany(
                "INSERT INTO example_bands (example_id, band, model_type, bucket) VALUES (?, ?, 'arith', ?)",
                bands,
            )
            next_id = ids[-1] + 1


def insert_cost(sizes: list[int], probes: int) -> list[dict]:
    from modelforge.app import App
    from modelforge.examples import ExampleStore, NewExample
    from modelforge.modeltype import Trajectory
    from modelforge.plugins import load_plugins, model_types

    app = App(load_plugins())
    arith = model_types(app.plugins)["arith"]
    store = ExampleStore(app.db)
    batch = store.start_batch("arith", requested=0, mix={}, roles={})
    rng = random.Random(7)
    results, have, seed = [], 0, 10**9
    for size in sizes:
        fill_started = time.perf_counter()
        bulk_fill(app.db, batch, size, have, rng)
        fill_seconds = time.perf_counter() - fill_started
        candidates = []
        for _ in range(probes):
            seed += 1
            problem = arith.generate_problem("addition", 12, seed)
            steps = arith.solve(problem)
            candidates.append(
                NewExample(
                    "arith", Trajectory(problem, tuple(steps), arith.outcome_of(problem, steps)), {}
                )
            )
        started = time.perf_counter()
        outcomes = [store.add(batch, example, 0.9).status for example in candidates]
        per_example = (time.perf_counter() - started) / probes
        have = size + outcomes.count("stored")
        results.append(
            {
                "stored_before": size,
                "ms_per_insert": round(per_example * 1000, 3),
                "stored": outcomes.count("stored"),
                "fill_seconds": round(fill_seconds, 1),
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--examples", type=int, default=2000, help="trajectories for the throughput run"
    )
    parser.add_argument(
        "--sizes", default="10000,100000,1000000", help="store sizes to time inserts at"
    )
    parser.add_argument("--probes", type=int, default=500, help="inserts timed at each size")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["MODELFORGE_HOME"] = str(Path(home) / "throughput")
        speed = throughput(args.examples)
        os.environ["MODELFORGE_HOME"] = str(Path(home) / "inserts")
        costs = insert_cost([int(s) for s in args.sizes.split(",")], args.probes)
    ratio = costs[-1]["ms_per_insert"] / costs[0]["ms_per_insert"]
    result = {"throughput": speed, "insert_cost": costs, "last_over_first": round(ratio, 2)}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(
        f"procedural arith: {speed['stored']} verified trajectories in {speed['seconds']} s "
        f"= {speed['per_second']} per second ({speed['attempts']} attempts)"
    )
    print(f"{'stored before':>14}{'ms per insert+dup check':>26}{'fill s':>9}")
    for row in costs:
        print(f"{row['stored_before']:>14,}{row['ms_per_insert']:>26}{row['fill_seconds']:>9}")
    print(f"last/first: {ratio:.2f} (target within 2x)")


if __name__ == "__main__":
    main()
