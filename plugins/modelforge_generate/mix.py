"""The category mix of a batch: lean toward weak categories and thin coverage, starve none.

share(c) = floor + (1 - floor·k) · (w · weakness(c) + (1 - w) · coverage(c)), where coverage
favours categories with few stored examples and weakness comes from the table that the
weakness tracker publishes under the topic "weaknesses" (uniform while there is none).
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import inspect, text

from modelforge.contracts import Table
from modelforge.db import Database


def read_weaknesses(db: Database, model_type: str, table: Table | None) -> dict[str, float] | None:
    """Severity per weak category from the published weakness table, or None while there is
    none (no publisher, not created yet, or it does not publish the columns read here:
    model_type, category and severity, higher is weaker)."""
    if table is None or not {"model_type", "category", "severity"} <= set(table.columns):
        return None
    if not inspect(db.engine).has_table(table.name):
        return None
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                f'SELECT category, MAX(severity) FROM "{table.name}" WHERE model_type = :t '
                "GROUP BY category"
            ),
            {"t": model_type},
        ).all()
    return {category: max(0.0, float(severity or 0)) for category, severity in rows}


def _normalised(values: dict[str, float]) -> dict[str, float]:
    total = sum(values.values())
    if total <= 0:
        return {name: 1 / len(values) for name in values}
    return {name: value / total for name, value in values.items()}


def shares(
    categories: list[str],
    stored: dict[str, int],
    weaknesses: dict[str, float] | None,
    *,
    floor: float,
    weakness_weight: float,
) -> dict[str, float]:
    """The fraction of the batch each category gets; they sum to 1."""
    floor = min(floor, 1 / len(categories))
    coverage = _normalised({c: 1 / (1 + stored.get(c, 0)) for c in categories})
    weak = _normalised({c: (weaknesses or {}).get(c, 0.0) for c in categories})
    w = weakness_weight if weaknesses else 0.0
    free = 1 - floor * len(categories)
    return {c: floor + free * (w * weak[c] + (1 - w) * coverage[c]) for c in categories}


def allocate(share: dict[str, float], n: int) -> dict[str, int]:
    """Whole counts summing to n, by largest remainder."""
    exact = {c: s * n for c, s in share.items()}
    counts = {c: int(v) for c, v in exact.items()}
    for c in sorted(exact, key=lambda c: exact[c] - counts[c], reverse=True)[
        : n - sum(counts.values())
    ]:
        counts[c] += 1
    return counts


def plan(
    db: Database,
    model_type: str,
    levels: dict[str, tuple[int, ...]],
    stored: dict[str, int],
    n: int,
    rng: random.Random,
    *,
    floor: float,
    weakness_weight: float,
    weakness_table: Table | None = None,
) -> tuple[list[tuple[str, int]], dict[str, Any]]:
    """(category, difficulty) for each of n examples, shuffled, and the mix to record."""
    weaknesses = read_weaknesses(db, model_type, weakness_table)
    share = shares(list(levels), stored, weaknesses, floor=floor, weakness_weight=weakness_weight)
    counts = allocate(share, n)
    slots = [(c, rng.choice(levels[c])) for c, count in counts.items() for _ in range(count)]
    rng.shuffle(slots)
    mix = {
        "source": "weaknesses" if weaknesses else "uniform",
        "shares": {c: round(s, 4) for c, s in share.items()},
        "counts": counts,
        "stored_before": {c: stored.get(c, 0) for c in levels},
        "floor": floor,
        "weakness_weight": weakness_weight,
    }
    return slots, mix
