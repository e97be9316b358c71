"""Write settings as TOML that modelforge reads back: `config show` and `init` print it."""

from __future__ import annotations

import json
import math
import re
from typing import Any

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def key(name: str) -> str:
    """A TOML key: bare when it can be, else a quoted string."""
    return name if _BARE_KEY.match(name) else value(name)


def value(item: Any) -> str:
    """One TOML value, inline (None has no TOML form: callers leave such keys out)."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int):
        return str(item)
    if isinstance(item, float):
        if math.isnan(item):
            return "nan"
        if math.isinf(item):
            return "inf" if item > 0 else "-inf"
        return repr(item)
    if isinstance(item, str):
        return json.dumps(item, ensure_ascii=False)  # JSON's string escapes are TOML's
    if isinstance(item, list | tuple):
        return "[" + ", ".join(value(part) for part in item) + "]"
    if isinstance(item, dict):
        inner = ", ".join(f"{key(k)} = {value(v)}" for k, v in item.items() if v is not None)
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"no TOML form for {type(item).__name__}")


def is_table_array(item: Any) -> bool:
    return isinstance(item, list) and bool(item) and all(isinstance(part, dict) for part in item)


def dumps(data: dict[str, Any], path: tuple[str, ...] = ()) -> str:
    """A nested dict as TOML tables: dicts become tables, lists of dicts arrays of tables,
    and a None value is written as a comment, since TOML has no null."""
    lines: list[str] = []
    for name, item in data.items():
        if item is None:
            lines.append(f"# {key(name)} is unset")
        elif not isinstance(item, dict) and not is_table_array(item):
            lines.append(f"{key(name)} = {value(item)}")
    for name, item in data.items():
        inner = (*path, name)
        header = ".".join(key(part) for part in inner)
        if isinstance(item, dict):
            body = dumps(item, inner)
            lines.append("")
            lines.append(f"[{header}]")
            if body:
                lines.append(body)
        elif is_table_array(item):
            for entry in item:
                lines.extend(["", f"[[{header}]]", dumps(entry, inner)])
    return "\n".join(lines).strip("\n")
