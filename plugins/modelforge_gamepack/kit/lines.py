"""The pack's step line, `title: {json object}  # rationale`, and the canonical outcome JSON."""

from __future__ import annotations

import json
from typing import Any

from modelforge.modeltype import Step, StepFormatError

_DECODER = json.JSONDecoder()


def canonical(value: Any) -> str:
    """One spelling per object (sorted keys, no spaces): the outcome string the verifier reads."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def render(step: Step) -> str:
    line = f"{step.title}: {step.action}"
    return f"{line}  # {step.rationale}" if step.rationale else line


def parse(text: str, titles: tuple[str, ...]) -> Step:
    """The step a line holds; the action must be one JSON object, the title one of titles."""
    title, sep, rest = text.strip().partition(":")
    title = title.strip()
    if not sep or title not in titles:
        raise StepFormatError(f"not `TITLE: {{...}}` with TITLE one of {', '.join(titles)}")
    rest = rest.strip()
    try:
        value, end = _DECODER.raw_decode(rest)
    except json.JSONDecodeError as exc:
        raise StepFormatError(f"{title}: the action is not JSON ({exc.msg})") from None
    except RecursionError:  # nested deeper than the decoder goes
        raise StepFormatError(f"{title}: the action nests too deep") from None
    if not isinstance(value, dict):
        raise StepFormatError(f"{title}: the action must be a JSON object")
    tail = rest[end:].strip()
    if tail and not tail.startswith("#"):
        raise StepFormatError(f"{title}: only `# rationale` may follow the JSON object")
    return Step(canonical(value), rationale=tail.lstrip("# ").strip() or None, title=title)


def fields(step: Step) -> dict[str, Any] | None:
    """The JSON object a step's action holds, or None when it holds none."""
    try:
        value = json.loads(step.action)
    except (json.JSONDecodeError, TypeError, RecursionError):
        return None
    return value if isinstance(value, dict) else None
