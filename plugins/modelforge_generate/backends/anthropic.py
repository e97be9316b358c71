"""Anthropic models through the official `anthropic` SDK."""

from __future__ import annotations

from modelforge.extras import require
from modelforge_generate.backends.base import BackendError, ChatBackend
from modelforge_generate.settings import BackendSettings


class Anthropic(ChatBackend):
    name = "anthropic"
    default_key_env = "ANTHROPIC_API_KEY"

    def __init__(self, model: str, settings: BackendSettings):
        super().__init__(model, settings)
        anthropic = require("anthropic", "the anthropic generation backend")

        self.client = anthropic.Anthropic(
            api_key=self.api_key(required=True),
            base_url=settings.base_url,
            timeout=settings.timeout_s,
            max_retries=settings.max_retries,  # the SDK backs off exponentially on 429/5xx
        )

    def _complete(self, system: str, prompt: str) -> str:
        message = self.client.messages.create(
            model=self.model,
            system=system,
            messages=[{"role": "user", "content": prompt}],
            max_tokens=self.settings.max_tokens,  # this SDK takes no temperature: the model's own
        )
        texts = [block.text for block in message.content if getattr(block, "type", None) == "text"]
        if not texts:
            raise BackendError(f"{self.name}: the response holds no text")
        return "".join(texts)
