"""Each provider's JSONL line for each method, and a local check of every line before upload.

The checks follow the providers' documented formats, so a bad file fails here, naming its
line, instead of minutes later on the provider's side after an upload.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from modelforge.errors import ModelforgeError
from modelforge_finetune.records import Record

Line = dict[str, Any]

# the record field each reinforcement method scores against: the expert step, or the outcome
REFERENCE_FIELD = {"srl": "expert_step", "rlvr": "outcome"}


class FormatError(ModelforgeError):
    """A training line does not follow the provider's format; the message names the line."""


# ---------------------------------------------------------------- line builders


def openai_supervised(record: Record) -> Line:
    return {
        "messages": [
            {"role": "system", "content": record.system},
            {"role": "user", "content": record.prompt},
            {"role": "assistant", "content": record.target},
        ]
    }


def openai_reinforcement(record: Record, reference_key: str) -> Line:
    # The grader reads the reference through {{item.<key>}}; the last message is the user's.
    return {
        "messages": [
            {"role": "developer", "content": record.system},
            {"role": "user", "content": record.prompt},
        ],
        reference_key: record.reference,
    }


def gemini_supervised(record: Record) -> Line:
    return {
        "systemInstruction": {"role": "system", "parts": [{"text": record.system}]},
        "contents": [
            {"role": "user", "parts": [{"text": record.prompt}]},
            {"role": "model", "parts": [{"text": record.target}]},
        ],
    }


def gemini_reinforcement(record: Record, reference_key: str) -> Line:
    return {
        "systemInstruction": {"role": "system", "parts": [{"text": record.system}]},
        "contents": [{"role": "user", "parts": [{"text": record.prompt}]}],
        "references": {reference_key: record.reference},
    }


def bedrock_claude(record: Record) -> Line:
    return {
        "system": record.system,
        "messages": [
            {"role": "user", "content": record.prompt},
            {"role": "assistant", "content": record.target},
        ],
    }


# ---------------------------------------------------------------- checks


def _text(value: Any, where: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} must be a non-empty string")


def check_openai(line: Line, method: str) -> None:
    messages = line.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ValueError("`messages` must be a non-empty list")
    for index, message in enumerate(messages):
        if message.get("role") not in ("system", "developer", "user", "assistant"):
            raise ValueError(f"messages[{index}].role {message.get('role')!r} is not allowed")
        _text(message.get("content"), f"messages[{index}].content")
    last = messages[-1]["role"]
    if method == "supervised" and last != "assistant":
        raise ValueError("a supervised line must end with an assistant message")
    if method == "reinforcement" and last != "user":
        raise ValueError("a reinforcement line must end with a user message")


def _parts(content: Any, where: str) -> None:
    parts = content.get("parts") if isinstance(content, dict) else None
    if not isinstance(parts, list) or not parts:
        raise ValueError(f"{where}.parts must be a non-empty list")
    for index, part in enumerate(parts):
        _text(part.get("text"), f"{where}.parts[{index}].text")


def check_gemini(line: Line, method: str) -> None:
    if "systemInstruction" in line:
        _parts(line["systemInstruction"], "systemInstruction")
    contents = line.get("contents")
    if not isinstance(contents, list) or not contents:
        raise ValueError("`contents` must be a non-empty list")
    for index, content in enumerate(contents):
        if content.get("role") not in ("user", "model"):
            raise ValueError(f"contents[{index}].role {content.get('role')!r} is not allowed")
        _parts(content, f"contents[{index}]")
    last = contents[-1]["role"]
    if method == "supervised" and last != "model":
        raise ValueError("a supervised line must end with a `model` turn")
    if method == "reinforcement":
        if last != "user":
            raise ValueError("a reinforcement line must end with a `user` turn")
        references = line.get("references")
        if not isinstance(references, dict) or not references:
            raise ValueError("a reinforcement line needs a `references` map")
        for key, value in references.items():
            _text(value, f"references.{key}")


def check_bedrock(line: Line, method: str) -> None:
    _text(line.get("system", "x"), "system")
    messages = line.get("messages")
    if not isinstance(messages, list) or len(messages) < 2:
        raise ValueError("`messages` must hold a user then an assistant turn")
    for index, message in enumerate(messages):
        expected = "user" if index % 2 == 0 else "assistant"
        if message.get("role") != expected:
            raise ValueError(f"messages[{index}].role must be {expected!r} (turns alternate)")
        _text(message.get("content"), f"messages[{index}].content")
    if messages[-1]["role"] != "assistant":
        raise ValueError("the last message must be the assistant's")


CHECKS: dict[str, Callable[[Line, str], None]] = {
    "openai": check_openai,
    "gemini": check_gemini,
    "anthropic": check_bedrock,
}


def validate(provider: str, method: str, lines: list[Line]) -> None:
    """Check every line; FormatError lists the first failing lines by 1-based number."""
    check = CHECKS[provider]
    problems = []
    for number, line in enumerate(lines, 1):
        try:
            check(line, method)
        except (ValueError, AttributeError) as exc:
            problems.append(f"line {number}: {exc}")
    if not lines:
        problems.append("the file has no lines")
    if problems:
        shown = "\n  ".join(problems[:10])
        more = f"\n  and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise FormatError(f"{provider} {method} data is not valid:\n  {shown}{more}")


def to_jsonl(lines: list[Line]) -> str:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
