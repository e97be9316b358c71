"""Optional dependencies: the packages a feature imports only when it runs, and the pip extra
(pyproject.toml's [project.optional-dependencies]) that installs each."""

from __future__ import annotations

import importlib
from types import ModuleType

from modelforge.errors import ModelforgeError

# module -> (the distribution pip installs, the extra that brings it)
OPTIONAL = {
    "openai": ("openai", "providers"),
    "anthropic": ("anthropic", "providers"),
    "google.genai": ("google-genai", "providers"),
    "boto3": ("boto3", "bedrock"),
    "tensorboard": ("tensorboard", "tensorboard"),
    "matplotlib": ("matplotlib", "plot"),
}


class MissingExtra(ModelforgeError):
    """A package an optional feature needs is not installed."""


def require(module: str, feature: str) -> ModuleType:
    """MODULE (one of OPTIONAL), imported; else MissingExtra naming the extra to install."""
    distribution, extra = OPTIONAL[module]
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        missing = exc.name or module
        what = "is not installed" if module.startswith(missing) else f"cannot be imported ({exc})"
        raise MissingExtra(
            f"{feature} needs the '{distribution}' package, which {what}: "
            f"pip install 'modelforge[{extra}]'"
        ) from None
