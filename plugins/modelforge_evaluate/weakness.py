"""Weak categories: under the configured floor, or significantly under the model's own mean.

"Significantly" means the category's Wilson upper bound lies below the mean of the model's
other categories, so a category is not called weak on noise alone.
"""

from __future__ import annotations

from typing import Any

from modelforge.stats import wilson


def weaknesses(scores: dict[str, tuple[int, int]], floor: float, z: float) -> list[dict[str, Any]]:
    """One entry per weak category with its severity (0..1, higher is weaker) and evidence."""
    found = []
    for category, (passed, n) in sorted(scores.items()):
        if n == 0:
            continue
        interval = wilson(passed, n, z)
        rate = passed / n
        others = [p / m for c, (p, m) in scores.items() if c != category and m]
        mean = sum(others) / len(others) if others else None
        why = []
        if rate < floor:
            why.append(f"pass rate {rate:.2f} is under the floor {floor:.2f}")
        if mean is not None and interval.high < mean:
            why.append(
                f"upper bound {interval.high:.2f} is under the mean {mean:.2f} "
                "of the other categories"
            )
        if not why:
            continue
        severity = max(floor - rate, (mean - rate) if mean is not None else 0.0, 0.0)
        found.append(
            {
                "category": category,
                "severity": round(min(1.0, severity), 4),
                "why": why,
                "score": interval.as_dict(),
                "mean_of_others": None if mean is None else round(mean, 4),
                "floor": floor,
            }
        )
    return found
