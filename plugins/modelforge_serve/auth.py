"""Bearer tokens: required whenever the server listens beyond loopback.

The token comes from the environment variable named by `[serve] token_env`, never from the
config file or the database. Set on loopback too, it is required there as well.
"""

from __future__ import annotations

import hmac
import ipaddress
import os

from modelforge.errors import ModelforgeError
from modelforge_serve.openai_errors import ApiError


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name may resolve anywhere: treat it as reachable


def server_token(host: str, token_env: str, environ=os.environ) -> str | None:
    """The token requests must bear; ModelforgeError when bound off loopback without one."""
    token = environ.get(token_env) or None
    if token is None and not is_loopback(host):
        raise ModelforgeError(
            f"serving on {host} (not loopback) requires a bearer token: set ${token_env} "
            "(the variable is named by [serve] token_env), or bind to 127.0.0.1"
        )
    return token


def check_bearer(header: str | None, token: str | None) -> None:
    """ApiError(401) unless the Authorization header carries the token (when one is set)."""
    if token is None:
        return
    scheme, _, given = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.encode()
    ):
        raise ApiError(
            401,
            "a valid bearer token is required (Authorization: Bearer <token>)",
            code="invalid_api_key",
        )
