"""Gemini models through the official `google-genai` SDK."""

from __future__ import annotations

from modelforge.extras import require
from modelforge_generate.backends.base import BackendError, ChatBackend
from modelforge_generate.settings import BackendSettings

RETRY_STATUSES = [408, 429, 500, 502, 503, 504]


class Gemini(ChatBackend):
    name = "gemini"
    default_key_env = "GEMINI_API_KEY"

    def __init__(self, model: str, settings: BackendSettings):
        super().__init__(model, settings)
        genai = require("google.genai", "the gemini generation backend")
        from google.genai import types

        options = types.HttpOptions(
            base_url=settings.base_url,
            timeout=int(settings.timeout_s * 1000),  # milliseconds
            retry_options=types.HttpRetryOptions(
                attempts=settings.max_retries + 1, http_status_codes=RETRY_STATUSES
            ),
        )
        self.client = genai.Client(api_key=self.api_key(required=True), http_options=options)
        self._config = types.GenerateContentConfig(
            max_output_tokens=settings.max_tokens, temperature=settings.temperature
        )

    def _complete(self, system: str, prompt: str) -> str:
        config = self._config.model_copy(update={"system_instruction": system})
        response = self.client.models.generate_content(
            model=self.model, contents=prompt, config=config
        )
        if not response.text:
            raise BackendError(f"{self.name}: the response holds no text")
        return response.text
