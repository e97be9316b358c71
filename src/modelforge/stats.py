"""Wilson score intervals: how far a pass rate measured on n samples can be trusted.

Cross-cycle comparisons use them so that a difference inside the noise is neither a
regression nor an improvement; selection ranks candidates by their lower bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import Any


def z_for(confidence: float) -> float:
    """The two-sided normal quantile for a confidence level (0.95 -> 1.96)."""
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_bounds(passed: Any, n: Any, z: float) -> tuple[Any, Any]:
    """The unclipped Wilson bounds of passed/n for n > 0, element by element.

    Only arithmetic operators, so the same formula serves floats and numpy arrays alike
    (selection scores every candidate at once); callers clip to [0, 1].
    """
    rate = passed / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (rate + z2 / (2 * n)) / denominator
    spread = z * (rate * (1 - rate) / n + z2 / (4 * n * n)) ** 0.5 / denominator
    return centre - spread, centre + spread


@dataclass(frozen=True)
class Interval:
    """A pass rate with its Wilson interval."""

    passed: int
    n: int
    low: float
    high: float

    @property
    def rate(self) -> float | None:
        return self.passed / self.n if self.n else None

    def as_dict(self) -> dict[str, float | int | None]:
        rate = self.rate
        return {
            "passed": self.passed,
            "n": self.n,
            "rate": None if rate is None else round(rate, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
        }


def wilson(passed: int, n: int, z: float = 1.96) -> Interval:
    """The Wilson score interval of passed/n; (0, 1) when nothing was measured."""
    if n <= 0:
        return Interval(0, 0, 0.0, 1.0)
    if not 0 <= passed <= n:
        raise ValueError(f"passed must be within 0..{n}, got {passed}")
    low, high = wilson_bounds(passed, n, z)
    return Interval(passed, n, max(0.0, low), min(1.0, high))


def significantly_below(after: Interval, before: Interval) -> bool:
    """True when the intervals do not overlap and `after` lies under `before`."""
    return after.n > 0 and before.n > 0 and after.high < before.low
