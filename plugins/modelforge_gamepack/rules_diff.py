"""Rules as flat `path = value` lines, and the difference between two versions of them."""

from __future__ import annotations

import json
from typing import Any


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested tables as dotted paths; lists and scalars are leaves."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flatten(value, f"{path}."))
        else:
            out[path] = value
    return out


def line(path: str, value: Any) -> str:
    return f"{path} = {json.dumps(value, ensure_ascii=False)}"


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Each path that was removed, added or changed, in path order."""
    before, after = flatten(old), flatten(new)
    changes = []
    for path in sorted(before.keys() | after.keys()):
        if path not in after:
            changes.append({"path": path, "change": "removed", "old": before[path]})
        elif path not in before:
            changes.append({"path": path, "change": "added", "new": after[path]})
        elif before[path] != after[path]:
            changes.append(
                {"path": path, "change": "changed", "old": before[path], "new": after[path]}
            )
    return changes
