"""The cost-benefit rule: per responsibility, the model to serve and why, over every candidate.

Vectorised over the candidates of a type (numpy), because the server asks this for every
`auto:` request. Rule `cheapest`: the cheapest model whose quality lower bound (Wilson) meets
the floor and that fails no limit; rule `utility`: the best quality − cost − latency utility
among those. Never a fixed list: only the evidence in the tables decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from modelforge.stats import wilson_bounds
from modelforge_evaluate.settings import ResponsibilitySettings


@dataclass
class CandidateTable:
    """Everything selection needs about a type's registered models, one row per model."""

    model_type: str
    names: list[str]
    kinds: list[str]
    tiers: list[str | None]
    statuses: list[str]
    blocked: list[str | None]  # why a model may never be selected, or None
    categories: list[str]
    passed: np.ndarray  # (models, categories), from each model's latest evaluation
    samples: np.ndarray  # (models, categories)
    cost_per_1k: np.ndarray  # money per 1k tokens (paid price, or priced CPU time); nan unknown
    latency_ms: np.ndarray  # nan unknown

    def __post_init__(self) -> None:
        self.eligible = np.array([reason is None for reason in self.blocked], dtype=bool)
        self.known_latency_ms = np.where(np.isnan(self.latency_ms), 0.0, self.latency_ms)


@dataclass
class Decision:
    """The arithmetic of one decision; `chosen` indexes table.names (None: nobody)."""

    table: CandidateTable
    responsibility: ResponsibilitySettings
    min_samples: int
    rate: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: np.ndarray
    cost: np.ndarray
    evidence: np.ndarray
    failed_quality: np.ndarray
    failed_latency: np.ndarray
    failed_cost: np.ndarray
    utility: np.ndarray
    explore: np.ndarray
    chosen: int | None
    met: bool  # the chosen model meets every constraint

    @property
    def model(self) -> str | None:
        return None if self.chosen is None else self.table.names[self.chosen]

    @property
    def exploration(self) -> list[str]:
        return [self.table.names[i] for i in np.flatnonzero(self.explore)]


def category_mask(table: CandidateTable, categories: list[str]) -> np.ndarray:
    """1 for each of the table's categories the responsibility counts (all when none named)."""
    if not categories:
        return np.ones(len(table.categories))
    return np.array([c in categories for c in table.categories], dtype=float)


def decide(
    table: CandidateTable, resp: ResponsibilitySettings, *, z: float, min_samples: int
) -> Decision:
    """Score every candidate for the responsibility and pick one by its rule."""
    mask = category_mask(table, resp.categories)
    passed = table.passed @ mask
    n = table.samples @ mask
    safe = np.maximum(n, 1)
    rate = passed / safe
    low, high = wilson_bounds(passed, safe, z)
    measured = n > 0
    low = np.where(measured, np.maximum(0.0, low), 0.0)
    high = np.where(measured, np.minimum(1.0, high), 1.0)
    cost = table.cost_per_1k * (resp.tokens_per_call / 1000)
    eligible = table.eligible
    evidence = n >= min_samples
    failed_quality = evidence & (low < resp.min_quality)
    # comparisons with nan (unknown) are False: an unknown figure fails no limit
    failed_latency = (
        table.latency_ms > resp.max_latency_ms
        if resp.max_latency_ms
        else np.zeros(len(n), dtype=bool)
    )
    failed_cost = (
        cost > resp.max_cost_per_call
        if resp.max_cost_per_call is not None
        else np.zeros(len(n), dtype=bool)
    )
    known_cost = np.where(np.isnan(cost), 0.0, cost)  # unknown (nan) costs count as nothing
    utility = (
        resp.quality_weight * rate
        - resp.cost_weight * known_cost
        - resp.latency_weight * table.known_latency_ms / 1000
    )
    within_limits = eligible & ~failed_latency & ~failed_cost
    ok = within_limits & evidence & ~failed_quality
    chosen, met = _pick(ok, resp.rule, known_cost, low, utility), True
    if chosen is None:  # nobody meets everything: the best lower bound among the evidenced
        chosen, met = _pick(eligible & evidence, "quality", known_cost, low, utility), False
    return Decision(
        table,
        resp,
        min_samples,
        rate,
        low,
        high,
        n,
        cost,
        evidence,
        failed_quality,
        failed_latency,
        failed_cost,
        utility,
        within_limits & ~evidence,
        chosen,
        met,
    )


def _pick(
    mask: np.ndarray, rule: str, cost: np.ndarray, low: np.ndarray, utility: np.ndarray
) -> int | None:
    index = np.flatnonzero(mask)
    if index.size == 0:
        return None
    if rule == "cheapest":  # cheapest first, then the higher lower bound
        return int(index[np.lexsort((-low[index], cost[index]))[0]])
    if rule == "utility":
        return int(index[np.argmax(utility[index])])
    return int(index[np.lexsort((cost[index], -low[index]))[0]])


def reasons(decision: Decision) -> list[dict[str, Any]]:
    """Every candidate with its quality (and uncertainty), cost, latency, failed constraints
    and utility: what a person reads to see why the chosen one won."""
    d, t = decision, decision.table
    rate, low, high, n = (_rounded(a) for a in (d.rate, d.low, d.high, d.n))
    cost, latency, utility = _rounded(d.cost, 8), _rounded(t.latency_ms, 1), _rounded(d.utility)
    explore = d.explore.tolist()
    out = []
    for i, name in enumerate(t.names):
        failed = failures(decision, i)
        out.append(
            {
                "model": name,
                "kind": t.kinds[i],
                "tier": t.tiers[i],
                "status": t.statuses[i],
                "quality": {
                    "rate": rate[i] if n[i] else None,
                    "low": low[i],
                    "high": high[i],
                    "n": int(n[i]),
                },
                "cost_per_call": cost[i],
                "latency_ms": latency[i],
                "failed": failed,
                "utility": utility[i],
                "explored": explore[i],
                "chosen": i == d.chosen,
            }
        )
    return out


def failures(decision: Decision, i: int) -> list[str]:
    """Why candidate i may not be chosen outright: each constraint it fails, with its figures."""
    d, t, r = decision, decision.table, decision.responsibility
    failed = [t.blocked[i]] if t.blocked[i] else []
    n = int(d.n[i])
    if not d.evidence[i]:
        failed.append(f"too little evidence ({n} < {d.min_samples} samples)")
    if d.failed_quality[i]:
        passed = round(float(d.rate[i]) * n)
        failed.append(
            f"quality lower bound {d.low[i]:.3f} < floor {r.min_quality:.3f} "
            f"(pass rate {d.rate[i]:.1%}, {passed}/{n})"
        )
    if d.failed_latency[i]:
        failed.append(f"latency {t.latency_ms[i]:.0f} ms > {r.max_latency_ms:.0f} ms")
    if d.failed_cost[i]:
        failed.append(f"cost {d.cost[i]:.6f} > {r.max_cost_per_call:.6f} per call")
    return failed


def _rounded(values: np.ndarray, digits: int = 4) -> list[float | None]:
    """Rounded Python floats, None where unknown (nan)."""
    return [None if math.isnan(v) else v for v in np.round(values, digits).tolist()]
