"""The slope of a pass rate over the last k evaluated cycles (least squares, per cycle)."""

from __future__ import annotations


def slope(rates: list[float]) -> float | None:
    """Change per cycle of the fitted line through the rates, oldest first; None under 2."""
    if len(rates) < 2:
        return None
    k = len(rates)
    mean_x, mean_y = (k - 1) / 2, sum(rates) / k
    spread = sum((x - mean_x) ** 2 for x in range(k))
    return sum((x - mean_x) * (y - mean_y) for x, y in enumerate(rates)) / spread
