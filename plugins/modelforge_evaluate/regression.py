"""Regressions: a model's pass rate significantly under its baseline from the previous cycle.

The baseline is the same model's evaluation in the previous evaluated cycle when it had one
(a model whose files changed, or whose quality really moved), else the previous cycle's lead
(a newly trained model against the one before it). Overall (`*`) and every category are
compared; only non-overlapping Wilson intervals count, so noise is neither a regression nor an
improvement.
"""

from __future__ import annotations

from typing import Any

from modelforge.stats import significantly_below, wilson

OVERALL = "*"


def with_overall(scores: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    passed = sum(p for p, _ in scores.values())
    n = sum(m for _, m in scores.values())
    return {OVERALL: (passed, n), **scores}


def compare(
    after: dict[str, tuple[int, int]], before: dict[str, tuple[int, int]], z: float
) -> list[dict[str, Any]]:
    """Every category (and overall) where `after` is significantly under `before`."""
    drops = []
    before_all, after_all = with_overall(before), with_overall(after)
    for category, (passed, n) in after_all.items():
        if category not in before_all:
            continue
        now, then = wilson(passed, n, z), wilson(*before_all[category], z)
        if significantly_below(now, then):
            drops.append({"category": category, "before": then.as_dict(), "after": now.as_dict()})
    return drops
