"""L-system expansion with a bound, so a runaway answer costs the verifier nothing."""

from __future__ import annotations


def expand(axiom: str, rules: dict[str, str], iterations: int, max_symbols: int) -> str | None:
    """The string after `iterations` rewrites, or None once it grows past max_symbols."""
    current = axiom
    for _ in range(iterations):
        current = "".join(rules.get(symbol, symbol) for symbol in current)
        if len(current) > max_symbols:
            return None
    return current


def segments(expanded: str) -> int:
    return expanded.count("F")
