"""What a plugin publishes for others to read, declared once, by that plugin.

Plugins never import each other, and the core never imports a plugin. So a producer's table,
artifact kind, stage result key or event name is published under a *topic*: a name that says
what the thing is, not who makes it ("weaknesses", "audit_report"). The producer maps each
topic to its own names through the `publish_contract` hook; readers (the TUI, the checklist,
other plugins) ask for the topic and use the names they get back, never a copy. A topic that no
loaded plugin publishes reads as None: the reader says the producer is absent.

The topics readers use today are listed in docs/plugins.md ("Contracts").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from modelforge.errors import ModelforgeError
from modelforge.plugins import collect


@dataclass(frozen=True)
class Table:
    """A table a plugin lets others read, and the columns they may rely on."""

    name: str
    columns: tuple[str, ...]

    @classmethod
    def of(cls, model: Any, *columns: str) -> Table:
        """The table of a SQLModel class, so the name and columns come from the model itself;
        no columns given publishes them all."""
        names = tuple(column.name for column in model.__table__.columns)
        unknown = [column for column in columns if column not in names]
        if unknown:
            raise ModelforgeError(f"table {model.__tablename__} has no column {', '.join(unknown)}")
        return cls(model.__tablename__, columns or names)

    def column(self, name: str) -> str:
        """A column by name, refused when the producer does not publish it."""
        if name not in self.columns:
            raise ModelforgeError(f"table {self.name} does not publish a column '{name}'")
        return name


@dataclass(frozen=True)
class Contract:
    """Everything one plugin publishes, each by topic."""

    tables: Mapping[str, Table] = field(default_factory=dict)
    artifact_kinds: Mapping[str, str] = field(default_factory=dict)
    result_keys: Mapping[str, str] = field(default_factory=dict)  # keys of its stage results
    events: Mapping[str, str] = field(default_factory=dict)  # event kinds it records


KINDS = ("tables", "artifact_kinds", "result_keys", "events")


@dataclass(frozen=True)
class Published:
    """Every loaded plugin's contract, merged by topic; who published each topic is kept."""

    by_topic: Mapping[str, Mapping[str, tuple[str, Any]]]  # kind -> topic -> (plugin, value)

    def _get(self, kind: str, topic: str) -> Any:
        found = self.by_topic[kind].get(topic)
        return found[1] if found else None

    def table(self, topic: str) -> Table | None:
        return self._get("tables", topic)

    def artifact_kind(self, topic: str) -> str | None:
        return self._get("artifact_kinds", topic)

    def result_key(self, topic: str) -> str | None:
        return self._get("result_keys", topic)

    def event(self, topic: str) -> str | None:
        return self._get("events", topic)

    def publisher(self, kind: str, topic: str) -> str | None:
        found = self.by_topic[kind].get(topic)
        return found[0] if found else None


def published(plugins: Any) -> Published:
    """Ask every plugin for its contract; two plugins may not publish the same topic."""
    merged: dict[str, dict[str, tuple[str, Any]]] = {kind: {} for kind in KINDS}
    for plugin, contract in collect(plugins, "publish_contract"):
        if contract is None:
            continue
        if not isinstance(contract, Contract):
            raise ModelforgeError(
                f"plugin '{plugin}' returned {type(contract).__name__} from publish_contract, "
                "not a modelforge.contracts.Contract"
            )
        for kind in KINDS:
            for topic, value in getattr(contract, kind).items():
                if topic in merged[kind]:
                    first, second = sorted((merged[kind][topic][0], plugin))
                    raise ModelforgeError(
                        f"{kind} topic '{topic}' is published by both '{first}' and '{second}'"
                    )
                merged[kind][topic] = (plugin, value)
    return Published(merged)
