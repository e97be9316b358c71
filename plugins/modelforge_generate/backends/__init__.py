"""Chat backends for the model roles; each imports its SDK only when built."""

from __future__ import annotations

from modelforge.errors import ModelforgeError
from modelforge_generate.backends.base import BackendError, ChatBackend
from modelforge_generate.settings import BackendSettings

CHAT_BACKENDS = ("hf", "openai-compatible", "anthropic", "gemini")


def build(name: str, model: str | None, settings: BackendSettings) -> ChatBackend:
    """The chat backend `name` for `model` (or the configured model)."""
    model = model or settings.model
    if not model:
        raise ModelforgeError(
            f"backend {name} needs a model: `{name}:MODEL` or [generate.backends.{name}] model"
        )
    if name == "openai-compatible":
        from modelforge_generate.backends.openai_compatible import OpenAICompatible

        return OpenAICompatible(model, settings)
    if name == "anthropic":
        from modelforge_generate.backends.anthropic import Anthropic

        return Anthropic(model, settings)
    if name == "gemini":
        from modelforge_generate.backends.gemini import Gemini

        return Gemini(model, settings)
    if name == "hf":
        from modelforge_generate.backends.hf import HuggingFace

        return HuggingFace(model, settings)
    raise ModelforgeError(
        f"unknown backend '{name}': use procedural or one of {', '.join(CHAT_BACKENDS)}"
    )


def for_role(settings, role: str) -> ChatBackend | None:
    """The chat backend a role is configured with (the `chat_backend` hook, for other plugins);
    None for a role name that is not one of ours."""
    spec = (
        getattr(settings.roles, role, None) if role in type(settings.roles).model_fields else None
    )
    if spec is None:
        return None
    name, _, model = spec.partition(":")
    if name == "procedural":
        raise ModelforgeError(
            f"[generate.roles] {role} is procedural, so it has no model to ask: give it a model "
            f'backend (e.g. {role} = "openai-compatible:MODEL")'
        )
    return build(name, model or None, settings.backends.get(name) or BackendSettings())


__all__ = ["CHAT_BACKENDS", "BackendError", "ChatBackend", "build", "for_role"]
