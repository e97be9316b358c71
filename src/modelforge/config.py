"""Load and validate config.toml; resolve the data directory by precedence.

Precedence: CLI flag > environment (MODELFORGE_HOME, MODELFORGE_CONFIG) > config file >
built-in defaults. With no config file the embedded config.toml is used.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from modelforge.errors import ConfigError
from modelforge.resources import bundled
from modelforge.settings import CORE_SETTINGS, ModelTypeSettings

DEFAULT_HOME = Path("~/.modelforge")


@dataclass
class Config:
    """The validated configuration and where each part came from."""

    path: Path | None  # None: the embedded default
    data_dir: Path
    data_dir_source: str
    sections: dict[str, Any]
    types: dict[str, ModelTypeSettings] = field(default_factory=dict)

    @property
    def enabled_types(self) -> list[str]:
        return [name for name, section in self.types.items() if section.enabled]

    def section(self, name: str) -> Any:
        return self.sections[name]

    def as_dict(self) -> dict[str, Any]:
        out = {name: value.model_dump() for name, value in self.sections.items()}
        out["types"] = {name: value.model_dump() for name, value in self.types.items()}
        return out


def resolve_home(cli_home: str | None) -> tuple[Path | None, str]:
    """The data directory named by flag or environment, or None to let the config file decide."""
    if cli_home:
        return Path(cli_home).expanduser(), "--home"
    if os.environ.get("MODELFORGE_HOME"):
        return Path(os.environ["MODELFORGE_HOME"]).expanduser(), "MODELFORGE_HOME"
    return None, ""


def config_file(cli_config: str | None, cli_home: str | None) -> Path | None:
    """The user's config file, or None when only the embedded default applies."""
    if cli_config:
        path = Path(cli_config).expanduser()
        if not path.exists():
            raise ConfigError(f"config file not found: {path} (from --config)")
        return path
    if os.environ.get("MODELFORGE_CONFIG"):
        path = Path(os.environ["MODELFORGE_CONFIG"]).expanduser()
        if not path.exists():
            raise ConfigError(f"config file not found: {path} (from MODELFORGE_CONFIG)")
        return path
    home, _ = resolve_home(cli_home)
    candidate = (home or DEFAULT_HOME.expanduser()) / "config.toml"
    return candidate if candidate.exists() else None


def load(
    cli_config: str | None = None,
    cli_home: str | None = None,
    plugin_sections: dict[str, type[BaseModel]] | None = None,
    provided_types: Callable[[], list[str] | None] | None = None,
) -> Config:
    """Read, validate and resolve the configuration; raise ConfigError naming the bad key.

    provided_types, when given, returns the model types the plugins provide (None: unknown);
    an enabled [types.NAME] of the user's file that none provides is then an error. The
    embedded default is not checked: it names first-party types a narrowed plugin set lacks.
    """
    path = config_file(cli_config, cli_home)
    label = str(path) if path else "embedded config.toml"
    text = _read(path or bundled("config.toml"), label)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{label}: not valid TOML: {exc}") from None

    tables: dict[str, type[BaseModel]] = {**CORE_SETTINGS, **(plugin_sections or {})}
    root = create_model(
        "ConfigFile",
        __config__=ConfigDict(extra="forbid", strict=True),
        types=(dict[str, ModelTypeSettings], {}),
        **{name: (model, model()) for name, model in tables.items()},
    )
    check_types = path is not None and provided_types is not None
    try:
        parsed = root.model_validate(raw)
    except ValidationError as exc:
        lines = _describe(exc, label, text)
        if check_types:  # every problem at once: the types too, as far as they can be read
            lines += _unprovided_types(_enabled_in(raw), provided_types, label, text)
        raise ConfigError(_invalid(lines)) from None

    if check_types:
        enabled = [name for name, section in parsed.types.items() if section.enabled]
        if lines := _unprovided_types(enabled, provided_types, label, text):
            raise ConfigError(_invalid(lines))

    sections = {name: getattr(parsed, name) for name in tables}
    home, home_source = resolve_home(cli_home)
    if home is None and sections["core"].data_dir:
        home, home_source = Path(sections["core"].data_dir).expanduser(), f"{label} [core] data_dir"
    if home is None:
        home, home_source = DEFAULT_HOME.expanduser(), "default"
    if home.exists() and not home.is_dir():
        raise ConfigError(
            f"data directory {home} (from {home_source}) is a file, not a folder: "
            "name a folder (it is created if missing)"
        )
    return Config(path, home.resolve(), home_source, sections, dict(parsed.types))


def _read(source: Path, label: str) -> str:
    try:
        return source.read_bytes().decode("utf-8")
    except IsADirectoryError:
        raise ConfigError(f"{label} is a folder, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read it: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{label}: not UTF-8 text (byte {exc.start}): save it as UTF-8") from None


def _enabled_in(raw: dict[str, Any]) -> list[str]:
    """The types an unvalidated file enables (a table without `enabled = false`)."""
    types = raw.get("types")
    if not isinstance(types, dict):
        return []
    return [
        name
        for name, table in types.items()
        if isinstance(table, dict) and table.get("enabled", True) is not False
    ]


def _unprovided_types(
    enabled: list[str],
    provided_types: Callable[[], list[str] | None],
    label: str,
    text: str,
) -> list[str]:
    provided = provided_types() if enabled else None
    if provided is None:
        return []
    known = ", ".join(provided) or "none"
    lines = []
    for name in enabled:
        if name not in provided:
            line = _line_of(text, ("types", name))
            where = f"{label}:{line}" if line else label
            lines.append(
                f"{where}: 'types.{name}': no plugin provides model type '{name}' "
                f"(known: {known}); install its plugin, fix the name or set enabled = false"
            )
    return lines


def _invalid(lines: list[str]) -> str:
    return "invalid configuration\n  " + "\n  ".join(lines)


def _describe(exc: ValidationError, label: str, text: str) -> list[str]:
    lines = []
    for error in exc.errors():
        loc = tuple(str(part) for part in error["loc"])
        key = ".".join(loc)
        where = label
        line = _line_of(text, loc)
        if line:
            where = f"{label}:{line}"
        if error["type"] == "extra_forbidden":
            lines.append(f"{where}: unknown key '{key}'")
        else:
            message = error["msg"]
            if error["type"] == "value_error":  # our validators' own words, without a prefix
                message = str(error.get("ctx", {}).get("error", message))
            lines.append(f"{where}: '{key}': {message}")
    return lines


_TABLE = re.compile(r"^\[\[?\s*([^\]]+?)\s*\]\]?$")
_KEY = re.compile(r"""^(["']?)([A-Za-z0-9_.-]+)\1\s*=""")


def _line_of(text: str, loc: tuple[str, ...]) -> int | None:
    """Best-effort line number of the key at loc, for error messages."""
    table: tuple[str, ...] = ()
    fallback = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if match := _TABLE.match(line):
            table = tuple(part.strip().strip("\"'") for part in match.group(1).split("."))
            if table == loc:
                return number
            if fallback is None and loc[: len(table)] == table:
                fallback = number
        elif match := _KEY.match(line):
            key = table + tuple(match.group(2).split("."))
            if loc[: len(key)] == key:
                return number
    return fallback
