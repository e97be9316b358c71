"""A chat completion request, checked field by field so a bad one is a 400 naming the field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from modelforge_serve.openai_errors import bad_request

ROLES = ("system", "developer", "user", "assistant", "tool")
# Accepted and ignored: they change nothing a single local model does.
IGNORED = {
    "user",
    "metadata",
    "store",
    "logprobs",
    "top_logprobs",
    "frequency_penalty",
    "presence_penalty",
    "logit_bias",
    "parallel_tool_calls",
    "service_tier",
}
KNOWN = {
    "model",
    "messages",
    "max_tokens",
    "max_completion_tokens",
    "temperature",
    "top_p",
    "stop",
    "stream",
    "stream_options",
    "seed",
    "n",
} | IGNORED


@dataclass(frozen=True)
class ChatRequest:
    model: str
    messages: list[dict[str, str]]
    max_tokens: int | None
    temperature: float
    top_p: float
    stop: list[str]
    stream: bool
    include_usage: bool
    seed: int | None


def parse_chat_request(body: Any) -> ChatRequest:
    """The request, or ApiError(400) naming the first field that is wrong."""
    if not isinstance(body, dict):
        raise bad_request("the request body must be a JSON object")
    unknown = sorted(set(body) - KNOWN)
    if unknown:
        raise bad_request(
            f"unsupported parameter(s): {', '.join(unknown)}",
            param=unknown[0],
            code="unsupported_parameter",
        )
    model = body.get("model")
    if not isinstance(model, str) or not model:
        raise bad_request("`model` must be a non-empty string", param="model")
    if body.get("n", 1) != 1:
        raise bad_request("only n=1 is supported", param="n", code="unsupported_value")
    max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
    if max_tokens is not None and (not _is_int(max_tokens) or max_tokens < 1):
        raise bad_request("`max_tokens` must be a positive integer", param="max_tokens")
    stream_options = body.get("stream_options") or {}
    if not isinstance(stream_options, dict):
        raise bad_request("`stream_options` must be an object", param="stream_options")
    return ChatRequest(
        model=model,
        messages=_messages(body.get("messages")),
        max_tokens=max_tokens,
        temperature=_number(body, "temperature", 1.0, 0.0, 2.0),
        top_p=_number(body, "top_p", 1.0, 0.0, 1.0),
        stop=_stop(body.get("stop")),
        stream=_flag(body, "stream"),
        include_usage=bool(stream_options.get("include_usage", False)),
        seed=_seed(body.get("seed")),
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _messages(value: Any) -> list[dict[str, str]]:
    if not isinstance(value, list) or not value:
        raise bad_request("`messages` must be a non-empty array", param="messages")
    out = []
    for index, message in enumerate(value):
        param = f"messages[{index}]"
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            raise bad_request(f"{param} needs a role, one of: {', '.join(ROLES)}", param=param)
        out.append({"role": message["role"], "content": _content(message.get("content"), param)})
    return out


def _content(value: Any, param: str) -> str:
    """Plain text, or the text parts of a content array; other parts (images) are refused."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(
        isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
        for p in value
    ):
        return "".join(part["text"] for part in value)
    raise bad_request(f"{param}.content must be text or text parts", param=f"{param}.content")


def _number(body: dict, key: str, default: float, low: float, high: float) -> float:
    value = body.get(key)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise bad_request(f"`{key}` must be a number from {low} to {high}", param=key)
    return float(value)


def _stop(value: Any) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else value
    if (
        not isinstance(items, list)
        or len(items) > 4
        or not all(isinstance(s, str) and s for s in items)
    ):
        raise bad_request("`stop` must be a string or up to 4 non-empty strings", param="stop")
    return items


def _flag(body: dict, key: str) -> bool:
    value = body.get(key, False)
    if value is None:
        return False
    if not isinstance(value, bool):
        raise bad_request(f"`{key}` must be true or false", param=key)
    return value


SEED_RANGE = (-(2**63), 2**64 - 1)  # what torch.manual_seed accepts


def _seed(value: Any) -> int | None:
    low, high = SEED_RANGE
    if value is not None and not (_is_int(value) and low <= value <= high):
        raise bad_request(f"`seed` must be an integer from {low} to {high}", param="seed")
    return value
