"""Any chat-completions endpoint through the official `openai` SDK (OpenAI, vLLM, Ollama)."""

from __future__ import annotations

from modelforge.extras import require
from modelforge_generate.backends.base import BackendError, ChatBackend
from modelforge_generate.settings import BackendSettings


class OpenAICompatible(ChatBackend):
    name = "openai-compatible"
    default_key_env = "OPENAI_API_KEY"

    def __init__(self, model: str, settings: BackendSettings):
        super().__init__(model, settings)
        openai = require("openai", "the openai-compatible generation backend")

        # A local server needs no key, but the SDK insists on one: give it a placeholder.
        key = self.api_key(required=settings.base_url is None) or "not-needed"
        self.client = openai.OpenAI(
            api_key=key,
            base_url=settings.base_url,
            timeout=settings.timeout_s,
            max_retries=settings.max_retries,  # the SDK backs off exponentially on 429/5xx
        )

    def _complete(self, system: str, prompt: str) -> str:
        response = self.client.chat.completions.create(
            model=self.model,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": prompt}],
            max_tokens=self.settings.max_tokens,
            temperature=self.settings.temperature,
        )
        if not response.choices or response.choices[0].message.content is None:
            raise BackendError(f"{self.name}: the response holds no message")
        return response.choices[0].message.content
