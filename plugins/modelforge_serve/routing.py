"""Which model answers: a registered name as given, or `auto:<responsibility>` asked of the
selector through the `choose_model` hook, then what must be in memory to answer with it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from modelforge.events import record_event
from modelforge.models import ModelEntry
from modelforge.plugins import HookFailure, first_answer
from modelforge.registry import get_model, list_models
from modelforge_serve.lineage import check_adapter_lineage
from modelforge_serve.openai_errors import ApiError

AUTO = "auto:"


TRANSFORMERS, LLAMACPP = "transformers", "llamacpp"


@dataclass(frozen=True)
class Target:
    """What a pool loads: a base (or full-weight model) and, for an adapter, its folder; and
    which runtime answers with it."""

    name: str
    base: str  # a folder, a Hugging Face id, or a GGUF file
    adapter: str | None = None
    backend: str = TRANSFORMERS


def backend_of(path: str) -> str:
    """A registered GGUF file is answered by llama.cpp, everything else by transformers."""
    return LLAMACPP if path.endswith(".gguf") and Path(path).is_file() else TRANSFORMERS


@dataclass(frozen=True)
class Route:
    requested: str
    target: Target
    reasons: list = field(default_factory=list)


class Router:
    """Resolves request model names against the registry and the selector."""

    def __init__(self, app):
        self.app = app

    def route(self, requested: str) -> Route:
        name, reasons = requested, []
        if requested.startswith(AUTO):
            name, reasons = self._choose(requested.removeprefix(AUTO))
        return Route(requested, self.target(name), reasons)

    def target(self, name: str) -> Target:
        """The Target of a registered local model; ApiError when it cannot be served here."""
        entry = get_model(self.app.db, name)
        if entry is None:
            raise ApiError(
                404,
                f"the model '{name}' does not exist in the registry",
                code="model_not_found",
                param="model",
            )
        if entry.kind != "local" or not entry.path:
            raise ApiError(
                400,
                f"the model '{name}' is a {entry.kind} model without local "
                "weights; this server answers local models and adapters only",
                code="model_not_served",
                param="model",
            )
        if not entry.adapter:
            backend = backend_of(entry.path)
            if backend == LLAMACPP and find_spec("llama_cpp") is None:
                raise ApiError(
                    400,
                    f"the model '{name}' is a GGUF file, answered by llama.cpp, and "
                    "llama-cpp-python is not installed here: pip install 'modelforge[llamacpp]'",
                    code="model_not_served",
                    param="model",
                )
            return Target(name, entry.path, backend=backend)
        check_adapter_lineage(entry)
        return Target(name, self._base_of(entry), entry.path)

    def servable(self) -> list[ModelEntry]:
        """Registered models this server would answer with (what /v1/models lists)."""
        return [
            e
            for e in list_models(self.app.db)
            if e.kind == "local" and e.path and (e.srl_rlvr or not e.adapter)
        ]

    def _choose(self, responsibility: str) -> tuple[str, list]:
        if not responsibility:
            raise ApiError(400, "`auto:` needs a responsibility, e.g. auto:arith", param="model")
        if not self.app.plugins.implementations("choose_model"):
            # 404, not 503: there is nothing to wait for, and clients retry 5xx answers
            raise ApiError(
                404,
                "no selector plugin is installed, so `auto:` cannot be answered; "
                "name a model directly",
                code="no_selector",
                param="model",
            )
        failures: list[HookFailure] = []
        decision = first_answer(
            self.app.plugins,
            "choose_model",
            failures,
            responsibility=responsibility,
            db=self.app.db,
            config=self.app.config,
        )
        for failure in failures:  # reported and passed over, as a failed stage is
            record_event(
                self.app.db,
                "plugin.hook_failed",
                str(failure),
                level="error",
                traceback=failure.traceback,
            )
        if not decision or not decision.get("model"):
            raise ApiError(
                404,
                f"the selector chose no model for '{responsibility}'",
                code="no_model_selected",
                param="model",
            )
        return decision["model"], list(decision.get("reasons") or [])

    def _base_of(self, entry: ModelEntry) -> str:
        """The adapter's base: a registered model's folder, a folder, or a Hugging Face id."""
        base = entry.base or _adapter_config_base(entry.path)
        if not base:
            raise ApiError(
                400,
                f"adapter '{entry.name}' names no base model",
                param="model",
                code="model_not_served",
            )
        registered = get_model(self.app.db, base)
        if registered is not None and registered.path:
            return registered.path
        return str(Path(base).expanduser().resolve()) if Path(base).expanduser().exists() else base


def _adapter_config_base(path: str) -> str | None:
    try:
        config = json.loads((Path(path) / "adapter_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return config.get("base_model_name_or_path")
