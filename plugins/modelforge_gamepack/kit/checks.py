"""Rule checks raise `Broken(rule, reason)`; typed getters turn a malformed value into one."""

from __future__ import annotations

import math
from typing import Any


class Broken(Exception):
    """A rule the answer breaks; the staged type turns it into a rejecting Verdict."""

    def __init__(self, rule: str, reason: str):
        super().__init__(reason)
        self.rule = rule
        self.reason = reason


def require(condition: bool, rule: str, reason: str) -> None:
    if not condition:
        raise Broken(rule, reason)


def number(value: Any, what: str) -> float:
    """A finite JSON number (not a bool); anything else breaks `format` (Python's json reads
    `Infinity`, and an integer past a float's range overflows)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Broken("format", f"{what} must be a number, not {value!r}")
    try:
        finite = math.isfinite(value)
    except OverflowError:
        finite = False
    if not finite:
        raise Broken("format", f"{what} must be a finite number")
    return float(value)


def text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise Broken("format", f"{what} must be a non-empty string, not {value!r}")
    return value


def flag(value: Any, what: str) -> bool:
    if not isinstance(value, bool):
        raise Broken("format", f"{what} must be true or false, not {value!r}")
    return value


def mapping(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Broken("format", f"{what} must be a JSON object")
    return value


def items(value: Any, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise Broken("format", f"{what} must be a JSON list")
    return value


def close(value: float, expected: float, tolerance: float) -> bool:
    return abs(value - expected) <= tolerance + 1e-9
