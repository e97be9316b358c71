"""What `modelforge adapters` sends to a running server: JSON over HTTP with the bearer token."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from typing import Any

from modelforge.errors import ModelforgeError


def call(
    url: str, path: str, token_env: str, body: dict[str, Any] | None = None, timeout: float = 300.0
) -> dict[str, Any]:
    """The server's JSON answer; ModelforgeError with its message when it refuses or is down."""
    request = urllib.request.Request(
        url.rstrip("/") + path,
        method="POST" if body else "GET",
        data=json.dumps(body).encode() if body else None,
        headers={"Content-Type": "application/json"},
    )
    if os.environ.get(token_env):
        request.add_header("Authorization", f"Bearer {os.environ[token_env]}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        try:
            message = json.loads(error.read())["error"]["message"]
        except (ValueError, KeyError, TypeError):
            message = error.reason
        raise ModelforgeError(f"the server answered {error.code}: {message}") from None
    except urllib.error.URLError as error:
        raise ModelforgeError(
            f"no modelforge server at {url} ({error.reason}); start one with `modelforge serve`"
        ) from None
