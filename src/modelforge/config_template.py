"""The config.toml that `modelforge init` writes: every table and key of the core and of every
loaded plugin, with its default and what it does, generated from the settings classes.

Keys are written commented out (`# key = default`), so the file changes nothing until a line is
uncommented, and a later release's new defaults still reach a user who never touched the key.
The `[types.NAME]` tables are written live: a file of your own names the types that run.
"""

from __future__ import annotations

from typing import Any

from modelforge import config_toml
from modelforge.settings_reference import Key, Table, keys, tables

HEADER = """\
# modelforge configuration, written by `modelforge init`.
#
# Every table and key that modelforge and its loaded plugins read is below, with its default
# and what it does. A commented key (`# key = value`) is at its default: uncomment it to
# change it. `modelforge init --minimal` writes the short file instead; docs/configuration.md
# holds the same reference as a table, and `modelforge config check FILE` validates a file.
#
# Where settings come from, strongest first: command-line flag (--home, --config), environment
# (MODELFORGE_HOME, MODELFORGE_CONFIG), this file, built-in defaults. An unknown key or a value
# of the wrong type stops modelforge with a message naming it.
"""


def render(plugin_tables: dict[str, tuple[str, type]], model_types: list[str]) -> str:
    """The whole file: the core's tables, one live [types.NAME] per model type the plugins
    provide, then each plugin's tables."""
    by_table: dict[str, list[Key]] = {}
    for entry in keys(plugin_tables):
        by_table.setdefault(entry.table, []).append(entry)
    out = [HEADER]
    for table in tables(plugin_tables):
        if table.name == "types.NAME":
            out.append(_types(table, by_table[table.name], model_types))
        else:
            out.append(_table(table, by_table.get(table.name, [])))
    return "\n".join(part for part in out if part) + "\n"


def _banner(table: Table) -> list[str]:
    owner = "the core" if table.plugin == "core" else f"plugin {table.plugin}"
    return [f"# {table.meaning} ({owner})" if table.meaning else f"# ({owner})"]


def _table(table: Table, entries: list[Key]) -> str:
    if table.name.endswith("[]"):  # an array of tables: its defaults, each entry commented
        return _array(table, entries)
    templated = ".NAME" in table.name
    lines = [*_banner(table)]
    header = f"[{table.name}]"
    lines.append(f"# {header}" if templated else header)
    for entry in entries:
        lines.extend(_key_lines(entry))
    if templated:
        lines.extend(_named_defaults(table))
    return "\n".join(lines) + "\n"


def _key_lines(entry: Key) -> list[str]:
    lines = [f"# {entry.meaning} [{entry.type}]" if entry.meaning else f"# [{entry.type}]"]
    if not entry.has_default:
        lines.append(f"# {config_toml.key(entry.key)}: required")
    elif entry.default is None:
        lines.append(f"# {config_toml.key(entry.key)}: unset by default")
    else:
        lines.append(f"# {config_toml.key(entry.key)} = {config_toml.value(entry.default)}")
    return lines


def _named_defaults(table: Table) -> list[str]:
    """The entries a table of tables has by default (finetune's prices), commented."""
    parent = table.name.removesuffix(".NAME")
    lines = []
    for name, values in (table.entries or {}).items():
        lines.append(f"# [{parent}.{config_toml.key(name)}]")
        lines.extend(_values(values))
    if lines:
        lines.insert(0, "# Its entries by default (a table of your own replaces them all):")
    return lines


def _array(table: Table, entries: list[Key]) -> str:
    header = f"[[{table.name.removesuffix('[]')}]]"
    lines = [*_banner(table), f"# Each entry is a {header} table with these keys:", f"# {header}"]
    for entry in entries:
        lines.extend(_key_lines(entry))
    if table.entries:
        lines.append("# Its entries by default (entries of your own replace them all):")
    for values in table.entries or []:
        lines.append(f"# {header}")
        lines.extend(_values(values))
    return "\n".join(lines) + "\n"


def _values(values: dict[str, Any]) -> list[str]:
    return [
        f"# {config_toml.key(name)} = {config_toml.value(item)}"
        for name, item in values.items()
        if item is not None
    ]


def _types(table: Table, entries: list[Key], model_types: list[str]) -> str:
    lines = [*_banner(table)]
    lines.append("# One table per model type: a file of your own runs the types it lists.")
    lines.append("# [types.NAME]")
    for entry in entries:
        lines.extend(_key_lines(entry))
    for name in model_types:
        lines.append(f"[types.{config_toml.key(name)}]")
        lines.extend(
            f"{config_toml.key(entry.key)} = {config_toml.value(entry.default)}"
            for entry in entries
            if entry.has_default and entry.default is not None
        )
    return "\n".join(lines) + "\n"
