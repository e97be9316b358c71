"""The response objects of the OpenAI chat API, as plain dicts ready for JSON.

Each carries `model`: the registered model that answered, which for `auto:` is the selector's
choice; a `modelforge` field adds what was asked for and the selector's reasons.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from modelforge.models import ModelEntry


def completion_id() -> str:
    return f"chatcmpl-{uuid.uuid4().hex}"


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def completion(
    ident: str,
    model: str,
    text: str,
    finish_reason: str,
    used: dict[str, int],
    routing: dict[str, Any],
) -> dict[str, Any]:
    return {
        "id": ident,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": used,
        "modelforge": routing,
    }


def chunk(
    ident: str,
    model: str,
    delta: dict[str, str] | None,
    finish_reason: str | None = None,
    used: dict[str, int] | None = None,
    routing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A stream chunk; with `used` and no delta it is the final usage-only chunk."""
    choices = (
        []
        if delta is None
        else [{"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}]
    )
    out = {
        "id": ident,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": choices,
    }
    if used is not None:
        out["usage"] = used
    if routing is not None:
        out["modelforge"] = routing
    return out


def model_object(entry: ModelEntry, resident: bool) -> dict[str, Any]:
    return {
        "id": entry.name,
        "object": "model",
        "created": int(entry.created_at.timestamp()),
        "owned_by": "modelforge",
        "tier": entry.tier,
        "model_type": entry.model_type,
        "adapter": entry.adapter,
        "base": entry.base,
        "status": entry.status,
        "resident": resident,
    }
