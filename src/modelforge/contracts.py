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
    """Every loaded plugin's contract, merged by topic."""

    by_topic: Mapping[str, Mapping[str, Any]]  # kind -> topic -> the publisher's name for it

    def _get(self, kind: str, topic: str) -> Any:
        return self.by_topic[kind].get(topic)

    def table(self, topic: str) -> Table | None:
        return self._get("tables", topic)

    def artifact_kind(self, topic: str) -> str | None:
        return self._get("artifact_kinds", topic)

    def result_key(self, topic: str) -> str | None:
        return self._get("result_keys", topic)

    def event(self, topic: str) -> str | None:
        return self._get("events", topic)


def published(plugins: Any) -> Published:
    """Ask every plugin for its contract; two plugins may not publish the same topic."""
    merged: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    owner: dict[tuple[str, str], str] = {}  # (kind, topic) -> the plugin that published it
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
                if (kind, topic) in owner:
                    first, second = sorted((owner[kind, topic], plugin))
                    raise ModelforgeError(
                        f"{kind} topic '{topic}' is published by both '{first}' and '{second}'"
                    )
                owner[kind, topic] = plugin
                merged[kind][topic] = value
    return Published(merged)
