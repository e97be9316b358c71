"""What every chat backend offers the roles: one completion, within a concurrency limit."""

from __future__ import annotations

import os
import threading

from modelforge.errors import ModelforgeError
from modelforge.redact import redact
from modelforge_generate.settings import BackendSettings


class BackendError(Exception):
    """A backend call failed (timeout, HTTP error, SDK error); the message is redacted."""


class ChatBackend:
    """Subclasses implement `_complete`; `complete` bounds concurrency and normalises errors."""

    name = "chat"
    default_key_env: str | None = None

    def __init__(self, model: str, settings: BackendSettings):
        self.model = model
        self.settings = settings
        self._slots = threading.BoundedSemaphore(max(1, settings.concurrency))

    @property
    def concurrency(self) -> int:
        return max(1, self.settings.concurrency)

    def api_key(self, required: bool) -> str | None:
        """The key from the environment variable the settings name; never stored or logged."""
        env = self.settings.api_key_env or self.default_key_env
        key = os.environ.get(env) if env else None
        if required and not key:
            raise ModelforgeError(
                f"backend {self.name} needs an API key in the environment variable {env}"
            )
        return key

    def complete(self, system: str, prompt: str) -> str:
        with self._slots:
            try:
                return self._complete(system, prompt)
            except BackendError:
                raise
            except Exception as exc:  # noqa: BLE001  (any SDK failure becomes a BackendError)
                raise BackendError(
                    redact(f"{self.name} {type(exc).__name__}: {exc}")[:500]
                ) from None

    def _complete(self, system: str, prompt: str) -> str:
        raise NotImplementedError
