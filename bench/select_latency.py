"""Selection decisions per second, in process: 100 models × 50 responsibilities.

Times the cost-benefit rule (`modelforge_evaluate.selection.decide`, numpy over the candidates)
beside a plain Python loop doing the same arithmetic (category sums, the scalar Wilson lower
bound of `modelforge.stats`, the constraints, the cheapest-or-utility pick), checks both choose
the same models, and prints decisions per second and their ratio. Also times a decision with its full reasons list (what
`choose_model` returns). Target: ≥ 10,000 decisions/s. Prints figures; passes or fails nothing.

    .venv/bin/python bench/select_latency.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

import numpy as np
from modelforge_evaluate.selection import CandidateTable, decide, reasons
from modelforge_evaluate.settings import ResponsibilitySettings

from modelforge.stats import wilson

MODELS, RESPONSIBILITIES, CATEGORIES = 100, 50, 8
Z, MIN_SAMPLES = 1.96, 20


def fixture(seed: int = 0):
    rng = random.Random(seed)
    categories = [f"c{i}" for i in range(CATEGORIES)]
    samples = [[rng.choice([0, 10, 24, 48]) for _ in categories] for _ in range(MODELS)]
    passed = [[rng.randint(0, n) for n in row] for row in samples]
    cost = [rng.choice([float("nan"), rng.uniform(0.0001, 0.02)]) for _ in range(MODELS)]
    latency = [rng.choice([float("nan"), rng.uniform(5, 900)]) for _ in range(MODELS)]
    blocked = [None if rng.random() > 0.1 else "never selected" for _ in range(MODELS)]
    table = CandidateTable(
        "bench",
        [f"m{i}" for i in range(MODELS)],
        ["local"] * MODELS,
        ["tiny"] * MODELS,
        ["candidate"] * MODELS,
        blocked,
        categories,
        np.array(passed, dtype=float),
        np.array(samples, dtype=float),
        np.array(cost),
        np.array(latency),
    )
    responsibilities = [
        ResponsibilitySettings(
            model_type="bench",
            categories=rng.sample(categories, rng.randint(1, CATEGORIES)),
            min_quality=rng.uniform(0.2, 0.8),
            max_latency_ms=rng.choice([None, 500.0]),
            max_cost_per_call=rng.choice([None, 0.005]),
            rule=rng.choice(["cheapest", "utility"]),
            cost_weight=rng.uniform(0, 50),
            latency_weight=rng.uniform(0, 0.5),
        )
        for _ in range(RESPONSIBILITIES)
    ]
    plain = (passed, samples, cost, latency, blocked, categories)
    return table, responsibilities, plain


def plain_decide(plain, resp: ResponsibilitySettings) -> int | None:
    """The same rule, one candidate at a time, in plain Python."""
    passed, samples, cost_1k, latency, blocked, categories = plain
    cols = [categories.index(c) for c in resp.categories] or list(range(len(categories)))
    ok, fallback = [], []
    for i in range(len(passed)):
        p = sum(passed[i][c] for c in cols)
        n = sum(samples[i][c] for c in cols)
        rate = p / max(n, 1)
        low = wilson(p, n, Z).low  # the core's scalar interval; decide uses its array form
        cost = cost_1k[i] * resp.tokens_per_call / 1000
        known = 0.0 if math.isnan(cost) else cost
        slow = resp.max_latency_ms is not None and latency[i] > resp.max_latency_ms
        dear = resp.max_cost_per_call is not None and cost > resp.max_cost_per_call
        utility = (
            resp.quality_weight * rate
            - resp.cost_weight * known
            - resp.latency_weight * (0.0 if math.isnan(latency[i]) else latency[i]) / 1000
        )
        evidenced = n >= MIN_SAMPLES
        if blocked[i] is None and evidenced:
            fallback.append((-low, known, i))
            if not slow and not dear and low >= resp.min_quality:
                key = (known, -low, i) if resp.rule == "cheapest" else (-utility, i)
                ok.append(key)
    if ok:
        return min(ok)[-1]
    return min(fallback)[-1] if fallback else None


def rate(work, seconds: float) -> float:
    """Decisions per second over at least `seconds` of repeated passes."""
    count, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        count += work()
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    table, responsibilities, plain = fixture()
    chosen = [decide(table, r, z=Z, min_samples=MIN_SAMPLES).chosen for r in responsibilities]
    assert chosen == [plain_decide(plain, r) for r in responsibilities], "rules disagree"

    def vectorised() -> int:
        for resp in responsibilities:
            decide(table, resp, z=Z, min_samples=MIN_SAMPLES)
        return len(responsibilities)

    def looped() -> int:
        for resp in responsibilities:
            plain_decide(plain, resp)
        return len(responsibilities)

    def with_reasons() -> int:
        for resp in responsibilities:
            reasons(decide(table, resp, z=Z, min_samples=MIN_SAMPLES))
        return len(responsibilities)

    fast, slow = rate(vectorised, args.seconds), rate(looped, args.seconds)
    full = rate(with_reasons, args.seconds)
    print(f"{MODELS} models × {RESPONSIBILITIES} responsibilities × {CATEGORIES} categories")
    print(f"decide (numpy):              {fast:>10,.0f} decisions/s")
    print(f"plain Python loop:           {slow:>10,.0f} decisions/s")
    print(f"ratio numpy / plain:         {fast / slow:>10.2f}")
    print(f"decide + reasons (the hook): {full:>10,.0f} decisions/s")
    print(f"target ≥ 10,000/s for decide: {'met' if fast >= 10_000 else 'NOT met'}")


if __name__ == "__main__":
    main()
