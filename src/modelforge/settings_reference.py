"""Every configuration key, read from the settings classes themselves: the one source that
`modelforge init` and docs/configuration.md are generated from, so neither can drift.

A key's meaning is the comment its class gives it: the comment at the end of its line (the
first or the last line of a declaration that spans several), else the comment lines right
above it. A table's meaning is its class docstring's first line.
"""

from __future__ import annotations

import ast
import inspect
import io
import tokenize
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from modelforge.settings import CORE_SETTINGS, ModelTypeSettings

_UNSET = object()


@dataclass(frozen=True)
class Key:
    """One key of config.toml."""

    table: str  # dotted; NAME stands for a name the user chooses, [] for an array of tables
    key: str
    type: str
    default: Any  # _UNSET when the key has no default (it must be given)
    meaning: str
    plugin: str  # "core" or the plugin that registered the table

    @property
    def has_default(self) -> bool:
        return self.default is not _UNSET


@dataclass(frozen=True)
class Table:
    """One table: its keys, in declaration order, and what it is for."""

    name: str
    meaning: str
    plugin: str
    model: type[BaseModel]
    defaults: dict[str, Any] | None  # the table's defaults as its parent sets them; None: each
    # key's own (a table the user names, an entry of an array of tables)
    entries: Any = None  # a table of tables' or an array's default entries (dict or list)


def root_tables(plugin_tables: dict[str, tuple[str, type]]) -> list[tuple[str, str, type]]:
    """(table name, owner, class) of every top-level table: the core's, then the plugins'."""
    core = [(name, "core", model) for name, model in CORE_SETTINGS.items()]
    core.append(("types.NAME", "core", ModelTypeSettings))
    plugins = [(name, owner, model) for name, (owner, model) in sorted(plugin_tables.items())]
    return core + plugins


def tables(plugin_tables: dict[str, tuple[str, type]]) -> list[Table]:
    """Every table, nested ones after their parent."""
    found: list[Table] = []
    for name, owner, model in root_tables(plugin_tables):
        _walk_tables(name, owner, model, None, None, found)
    return found


def keys(plugin_tables: dict[str, tuple[str, type]]) -> list[Key]:
    """Every leaf key of every table."""
    found: list[Key] = []
    for table in tables(plugin_tables):
        for name, info in table.model.model_fields.items():
            if nested(info.annotation) is None:
                found.append(
                    Key(
                        table.name,
                        name,
                        type_text(info),
                        _default(table, name, info),
                        meaning_of(table.model, name),
                        table.plugin,
                    )
                )
    return found


def _walk_tables(
    name: str,
    owner: str,
    model: type[BaseModel],
    defaults: dict[str, Any] | None,
    entries: Any,
    found: list[Table],
) -> None:
    this = Table(name, doc_line(model), owner, model, defaults, entries)
    found.append(this)
    for field_name, info in model.model_fields.items():
        shape = nested(info.annotation)
        if shape is not None:
            kind, inner = shape
            suffix = {"table": "", "tables": ".NAME", "array": "[]"}[kind]
            default = _default(this, field_name, info)
            table_defaults, inner_entries = (default, None) if kind == "table" else (None, default)
            _walk_tables(
                f"{name}.{field_name}{suffix}", owner, inner, table_defaults, inner_entries, found
            )


def _default(table: Table, name: str, info: FieldInfo) -> Any:
    """A key's default: what its parent table's default sets, else the field's own."""
    if table.defaults is not None and name in table.defaults:
        return table.defaults[name]
    return default_of(info)


def nested(annotation: Any) -> tuple[str, type[BaseModel]] | None:
    """("table", M) for a sub-table, ("tables", M) for a table of tables by name, ("array",
    M) for an array of tables, where M is a settings class; None for a plain value."""
    if _is_model(annotation):
        return "table", annotation
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is dict and len(args) == 2 and _is_model(args[1]):
        return "tables", args[1]
    if origin is list and len(args) == 1 and _is_model(args[0]):
        return "array", args[0]
    return None


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def default_of(info: FieldInfo) -> Any:
    if info.is_required():
        return _UNSET
    value = info.get_default(call_default_factory=True)
    return plain(value)


def plain(value: Any) -> Any:
    """A default as TOML would hold it: settings objects become dicts."""
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    return value


_NAMES = {str: "string", int: "integer", float: "number", bool: "boolean"}
_BOUNDS = {
    annotated_types.Ge: ("≥", "ge"),
    annotated_types.Gt: (">", "gt"),
    annotated_types.Le: ("≤", "le"),
    annotated_types.Lt: ("<", "lt"),
}


def type_text(info: FieldInfo) -> str:
    """The type in words, with the bounds the field declares: `integer ≥ 1`."""
    text = _type_words(info.annotation)
    bounds = []
    for item in info.metadata:
        for kind, (symbol, attribute) in _BOUNDS.items():
            if isinstance(item, kind):
                bounds.append(f"{symbol} {getattr(item, attribute)}")
    return f"{text} {', '.join(bounds)}" if bounds else text


def _type_words(annotation: Any) -> str:
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is Literal:
        return " / ".join(f'"{arg}"' if isinstance(arg, str) else str(arg) for arg in args)
    if origin in (types.UnionType, typing.Union):
        present = [arg for arg in args if arg is not type(None)]
        words = " or ".join(_type_words(arg) for arg in present)
        return f"{words}, optional" if len(present) < len(args) else words
    if origin is list:
        return f"list ({_type_words(args[0])})" if args else "list"
    if origin is dict:
        return f"table (name → {_type_words(args[1])})" if args else "table"
    return _NAMES.get(annotation, getattr(annotation, "__name__", str(annotation)))


def doc_line(model: type) -> str:
    """The first line of a class's docstring, or nothing."""
    doc = model.__dict__.get("__doc__") or ""
    return " ".join(doc.strip().split("\n\n")[0].split())


def meaning_of(model: type, field: str) -> str:
    """The comment the class (or the base class that declares it) gives the field."""
    for klass in model.__mro__:
        if field in inspect.get_annotations(klass):
            return _comments(klass).get(field, "")
    return ""


@cache
def _comments(klass: type) -> dict[str, str]:
    try:
        source = inspect.getsource(klass)
    except (OSError, TypeError):  # no source (a class built at run time): no comments
        return {}
    source = inspect.cleandoc("\n" + source) if source.startswith((" ", "\t")) else source
    comments: dict[int, str] = {}
    code_lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            comments[token.start[0]] = token.string.lstrip("#").strip()
        elif token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            code_lines.add(token.start[0])
    body = ast.parse(source).body[0]
    found = {}
    for node in getattr(body, "body", []):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found[node.target.id] = _comment_for(node, comments, code_lines)
    return found


def _comment_for(node: ast.AnnAssign, comments: dict[int, str], code: set[int]) -> str:
    for line in (node.lineno, node.end_lineno):
        if line in comments and line in code:
            return comments[line]
    above = []
    line = node.lineno - 1
    while line in comments and line not in code:
        above.insert(0, comments[line])
        line -= 1
    return " ".join(above)


MARKDOWN_HEADER = """\
# Configuration reference

Every table and key of config.toml that the core and the first-party plugins read: its type,
its default and what it does. Generated from the settings classes by `modelforge config
reference`; do not edit by hand: run
`modelforge config reference --first-party > docs/configuration-reference.md`
(a test checks that it matches). `modelforge config reference` without `--first-party` lists
the plugins installed on your machine, third-party ones included. A `NAME` in a table stands
for a name you choose (`[generate.backends.vllm]`); `[[...]]` is an array of tables. How the
file is found and validated: [configuration](configuration.md).
"""


def markdown(plugin_tables: dict[str, tuple[str, type]]) -> str:
    """The reference as Markdown: one section per table, one row per key."""
    from modelforge import config_toml

    by_table: dict[str, list[Key]] = {}
    for entry in keys(plugin_tables):
        by_table.setdefault(entry.table, []).append(entry)
    parts = [MARKDOWN_HEADER]
    for table in tables(plugin_tables):
        name = f"[[{table.name[:-2]}]]" if table.name.endswith("[]") else f"[{table.name}]"
        owner = "the core" if table.plugin == "core" else f"plugin `{table.plugin}`"
        parts.append(f"\n## `{name}`\n\nRead by {owner}. {table.meaning}".rstrip())
        if table.entries:
            count = len(table.entries)
            parts.append(
                f"\nBy default it holds {count} entr{'y' if count == 1 else 'ies'} "
                "(`modelforge config show` prints them); entries of your own replace them all."
            )
        rows = by_table.get(table.name, [])
        if rows:
            parts.append("\n| key | type | default | meaning |\n| --- | --- | --- | --- |")
        for entry in rows:
            if not entry.has_default:
                default = "required"
            elif entry.default is None:
                default = "unset"
            else:
                default = f"`{config_toml.value(entry.default)}`"
            cells = (f"`{entry.key}`", entry.type, default, entry.meaning)
            parts.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(parts) + "\n"
