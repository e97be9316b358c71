"""Dynamic sampling's decision: which groups of completions carry a learning signal.

A group whose rewards barely differ gets (near) zero advantage for every completion, so it
teaches nothing yet still dilutes the update; the paper drops such groups and samples more.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def group_spreads(rewards: Sequence[float], group_size: int) -> list[float]:
    """The population standard deviation of each consecutive group of `group_size` rewards."""
    if len(rewards) % group_size:
        raise ValueError(f"{len(rewards)} rewards do not split into groups of {group_size}")
    spreads = []
    for start in range(0, len(rewards), group_size):
        group = [r for r in rewards[start : start + group_size] if not math.isnan(r)]
        mean = sum(group) / len(group) if group else 0.0
        spreads.append(
            math.sqrt(sum((r - mean) ** 2 for r in group) / len(group)) if group else 0.0
        )
    return spreads


def informative_groups(rewards: Sequence[float], group_size: int, epsilon: float) -> list[bool]:
    """For each group, whether its reward spread exceeds epsilon."""
    return [spread > epsilon for spread in group_spreads(rewards, group_size)]


def select_groups(informative: list[bool], wanted: int) -> tuple[list[int], list[int]]:
    """Up to `wanted` informative group indices, and the uninformative ones kept as spares."""
    chosen = [i for i, ok in enumerate(informative) if ok][:wanted]
    spares = [i for i, ok in enumerate(informative) if not ok]
    return chosen, spares
