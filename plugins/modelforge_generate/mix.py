"""The category mix of a batch: lean toward weak categories and thin coverage, starve none.

share(c) = floor + (1 - floor·k) · (w · weakness(c) + (1 - w) · coverage(c)), where coverage
favours categories with few stored examples and weakness comes from the table that the
weakness tracker publishes under the topic "weaknesses" (uniform while there is none).
With `mix = "edge"` and an evaluated champion, share(c) = floor + (1 - floor·k) · edge(c)
instead, and each category's difficulty is drawn the same way by its levels' edge (see edge).
"""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import inspect, text

from modelforge.contracts import Table
from modelforge.db import Database
from modelforge_generate import edge


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


def floored(weights: dict[Any, float], floor: float) -> dict[Any, float]:
    """Each gets the floor (at most an even split), the rest goes in proportion to weights."""
    floor = min(floor, 1 / len(weights))
    normal = _normalised(weights)
    return {k: floor + (1 - floor * len(weights)) * normal[k] for k in weights}


def shares(
    categories: list[str],
    stored: dict[str, int],
    weaknesses: dict[str, float] | None,
    *,
    floor: float,
    weakness_weight: float,
) -> dict[str, float]:
    """The fraction of the batch each category gets; they sum to 1."""
    coverage = _normalised({c: 1 / (1 + stored.get(c, 0)) for c in categories})
    weak = _normalised({c: (weaknesses or {}).get(c, 0.0) for c in categories})
    w = weakness_weight if weaknesses else 0.0
    return floored({c: w * weak[c] + (1 - w) * coverage[c] for c in categories}, floor)


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
    competence: edge.Competence | None = None,
) -> tuple[list[tuple[str, int]], dict[str, Any]]:
    """(category, difficulty) for each of n examples, shuffled, and the mix to record.

    With the champion's competence the edge decides (weakness_table is not read); without,
    the weakness mix does, its difficulties drawn evenly."""
    level_share: dict[str, dict[int, float]] = {}  # none: the levels are drawn evenly
    if competence is not None:
        by_category, by_level = edge.weights(levels, competence.rates)
        share = floored(by_category, floor)
        level_share = {c: floored(w, floor) for c, w in by_level.items()}
        found = {
            "source": "edge",
            "champion": competence.model,
            "eval_run": competence.eval_run,
            "level_shares": {
                c: {str(lv): round(s, 4) for lv, s in ls.items()} for c, ls in level_share.items()
            },
        }
    else:
        weaknesses = read_weaknesses(db, model_type, weakness_table)
        share = shares(
            list(levels), stored, weaknesses, floor=floor, weakness_weight=weakness_weight
        )
        found = {"source": "weaknesses" if weaknesses else "uniform"}
    counts = allocate(share, n)
    slots = [
        (c, _difficulty(rng, levels[c], level_share.get(c)))
        for c, count in counts.items()
        for _ in range(count)
    ]
    rng.shuffle(slots)
    mix = {
        **found,
        "shares": {c: round(s, 4) for c, s in share.items()},
        "counts": counts,
        "stored_before": {c: stored.get(c, 0) for c in levels},
        "floor": floor,
        "weakness_weight": weakness_weight,
    }
    return slots, mix


def _difficulty(rng: random.Random, levels: tuple[int, ...], share: dict[int, float] | None) -> int:
    """A level drawn by its share, or evenly (the weakness mix's draw) when there is none."""
    if share is None:
        return rng.choice(levels)
    return rng.choices(levels, weights=[share[level] for level in levels])[0]
