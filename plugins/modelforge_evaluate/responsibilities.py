"""The responsibilities in force: those configured, else one per enabled model type."""

from __future__ import annotations

from modelforge.config import Config
from modelforge.errors import ModelforgeError
from modelforge_evaluate.settings import ResponsibilitySettings


def configured(config: Config) -> dict[str, ResponsibilitySettings]:
    """[select.responsibilities.*], or the embedded default: each enabled type, named after it."""
    declared = config.section("select").responsibilities
    if declared:
        return dict(declared)
    return {name: ResponsibilitySettings(model_type=name) for name in config.enabled_types}


def named(config: Config, name: str) -> ResponsibilitySettings:
    found = configured(config)
    if name not in found:
        known = ", ".join(sorted(found)) or "none"
        raise ModelforgeError(f"no responsibility '{name}' (configured: {known})")
    return found[name]
