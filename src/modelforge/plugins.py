"""The plugin manager: first-party and third-party plugins both arrive through the
entry-point group `modelforge`; MODELFORGE_LOAD_PLUGINS narrows which are loaded."""

from __future__ import annotations

import importlib.metadata
import os
import sys
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pluggy

from modelforge import hookspecs
from modelforge.errors import ModelforgeError, StageSkipped
from modelforge.redact import redact

GROUP = "modelforge"
FIRST_PARTY_DIST = "modelforge"


@dataclass
class PluginInfo:
    name: str
    version: str | None
    source: str  # "first-party" or "entry point"
    distribution: str | None


@dataclass
class LoadFailure:
    name: str
    distribution: str | None
    error: str
    traceback: str


@dataclass
class Plugins:
    """The loaded plugin manager with what it knows of each plugin's origin."""

    pm: pluggy.PluginManager
    info: dict[str, PluginInfo] = field(default_factory=dict)
    failures: list[LoadFailure] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.pm.add_hookcall_monitoring(_trace, lambda *_: None)

    @property
    def hook(self):
        return self.pm.hook

    def implementations(self, hook_name: str) -> list[pluggy.HookImpl]:
        """The implementations of a hook in the order pluggy would call them."""
        return list(reversed(getattr(self.pm.hook, hook_name).get_hookimpls()))

    def hooks_of(self, name: str) -> list[str]:
        callers = self.pm.get_hookcallers(self.pm.get_plugin(name)) or []
        return sorted(caller.name for caller in callers)

    def register(self, plugin: Any, name: str, source: str = "registered") -> None:
        """Register a plugin object (tests and embedding applications use this too)."""
        self.pm.register(plugin, name=name)
        self.info[name] = PluginInfo(name, None, source, None)

    def unregister(self, name: str) -> None:
        self.pm.unregister(name=name)
        self.info.pop(name, None)


def _trace(hook_name: str, impls: list[pluggy.HookImpl], kwargs: dict[str, Any]) -> None:
    """pluggy's hook-call monitoring: with MODELFORGE_TRACE_PLUGINS set, name each call."""
    if os.environ.get("MODELFORGE_TRACE_PLUGINS"):
        for impl in reversed(impls):
            print(f"modelforge: {impl.plugin_name}.{hook_name}()", file=sys.stderr)


def call(plugins: Plugins, hook_name: str, impl: pluggy.HookImpl, /, **kwargs: Any) -> Any:
    """Call one plugin's implementation of a hook through pluggy's own path (`pm.hook`, its
    monitoring included), so that each plugin can be isolated from the others."""
    others = [plugin for plugin in plugins.pm.get_plugins() if plugin is not impl.plugin]
    caller = plugins.pm.subset_hook_caller(hook_name, remove_plugins=others)
    answer = caller(**kwargs)
    if caller.spec is not None and caller.spec.opts.get("firstresult"):
        return answer
    return answer[0] if answer else None


@dataclass
class HookFailure:
    """A plugin that raised in a hook whose caller goes on without it."""

    plugin: str
    hook: str
    error: str
    traceback: str

    def __str__(self) -> str:
        return f"plugin '{self.plugin}' failed in {self.hook}: {self.error}"


def first_answer(
    plugins: Plugins, hook_name: str, failures: list[HookFailure], /, **kwargs: Any
) -> Any:
    """The first answer that is not None, as a firstresult hook gives, except that a plugin
    that raises is appended to `failures` and skipped, like a failed stage, not fatal."""
    for impl in plugins.implementations(hook_name):
        try:
            answer = call(plugins, hook_name, impl, **kwargs)
        except Exception as exc:  # noqa: BLE001 (isolated, whatever a plugin raises)
            failures.append(
                HookFailure(
                    impl.plugin_name,
                    hook_name,
                    f"{type(exc).__name__}: {redact(str(exc))}",
                    redact(traceback.format_exc()),
                )
            )
            continue
        if answer is not None:
            return answer
    return None


def collect(plugins: Plugins, hook_name: str, **available: Any) -> list[tuple[str, Any]]:
    """Call every implementation of a registration hook; a plugin that raises is named."""
    return [
        (impl.plugin_name, collect_one(plugins, hook_name, impl, **available))
        for impl in plugins.implementations(hook_name)
    ]


def collect_one(
    plugins: Plugins, hook_name: str, impl: pluggy.HookImpl, /, **available: Any
) -> Any:
    """One plugin's answer to a registration hook; a plugin that raises is named."""
    try:
        return call(plugins, hook_name, impl, **available)
    except ModelforgeError:
        raise
    except Exception as exc:
        reason = f"{type(exc).__name__}: {redact(str(exc))}"
        raise ModelforgeError(
            f"plugin '{impl.plugin_name}' failed in {hook_name}: {reason}"
        ) from exc


def _allowed() -> set[str] | None:
    value = os.environ.get("MODELFORGE_LOAD_PLUGINS")
    if value is None:
        return None
    return {name.strip() for name in value.split(",") if name.strip()}


def load_plugins() -> Plugins:
    """Build the plugin manager and load the entry points; failures are recorded, not raised."""
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    plugins = Plugins(pm)
    allowed = _allowed()
    for entry_point in importlib.metadata.entry_points(group=GROUP):
        dist = entry_point.dist.name if entry_point.dist else None
        if allowed is not None and entry_point.name not in allowed and dist not in allowed:
            continue
        if pm.has_plugin(entry_point.name):
            continue  # the same distribution seen twice on sys.path
        try:
            pm.register(entry_point.load(), name=entry_point.name)
            pm.check_pending()
        except Exception as exc:  # noqa: BLE001 (recorded, whatever a plugin raises)
            if pm.has_plugin(entry_point.name):
                pm.unregister(name=entry_point.name)
            plugins.failures.append(
                LoadFailure(
                    entry_point.name,
                    dist,
                    f"{type(exc).__name__}: {redact(str(exc))}",
                    redact(traceback.format_exc()),
                )
            )
            continue
        source = "first-party" if dist == FIRST_PARTY_DIST else "entry point"
        version = entry_point.dist.version if entry_point.dist else None
        plugins.info[entry_point.name] = PluginInfo(entry_point.name, version, source, dist)
    return plugins


def model_types(plugins: Plugins) -> dict[str, Any]:
    """Every registered model type by name; two plugins may not claim the same name."""
    found: dict[str, Any] = {}

    def register(model_type: Any) -> None:
        name = getattr(model_type, "name", None)
        if not isinstance(name, str) or not name:
            raise ModelforgeError(f"a model type needs a string `name`, got {model_type!r}")
        if name in found:
            raise ModelforgeError(f"model type '{name}' is registered twice")
        found[name] = model_type

    collect(plugins, "register_model_types", register=register)
    return found


def stage_model_type(plugins: Plugins, name: str) -> Any:
    """The registered model type a stage runs for; the stage skips, naming it, when none is."""
    found = model_types(plugins)
    if name not in found:
        raise StageSkipped(f"no plugin registers model type '{name}'")
    return found[name]


def config_sections(plugins: Plugins) -> dict[str, type]:
    """The config.toml tables plugins read, so that validation knows them."""
    return {name: model for name, (_, model) in config_tables(plugins).items()}


def config_tables(plugins: Plugins) -> dict[str, tuple[str, type]]:
    """Each plugin's config.toml table with the name of the plugin that reads it."""
    found: dict[str, tuple[str, type]] = {}
    registered: list[tuple[str, type]] = []

    def register(name: str, model: type) -> None:
        if name in found or name in ("core", "daemon", "types") or name in dict(registered):
            raise ModelforgeError(f"config section [{name}] is registered twice")
        registered.append((name, model))

    for impl in plugins.implementations("register_config_sections"):
        registered.clear()
        collect_one(plugins, "register_config_sections", impl, register=register)
        found.update({name: (impl.plugin_name, model) for name, model in registered})
    return found


def migration_locations(plugins: Plugins) -> list[Path]:
    return [Path(folder) for _, folder in collect(plugins, "register_migrations") if folder]
