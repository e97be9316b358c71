"""What a command works with: plugins, then config and database, each built once on demand."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from modelforge.errors import ModelforgeError
from modelforge.plugins import Plugins, config_sections, migration_locations, model_types

if TYPE_CHECKING:  # imported on use: `modelforge --help` must not pay for SQLAlchemy
    from modelforge.config import Config
    from modelforge.db import Database


class App:
    def __init__(self, plugins: Plugins, home: str | None = None, config_path: str | None = None):
        self.plugins = plugins
        self.home = home
        self.config_path = config_path

    @cached_property
    def config(self) -> Config:
        """The validated configuration; a model type no loaded plugin provides is an error."""
        from modelforge.config import load

        return load(self.config_path, self.home, config_sections(self.plugins), self.provided_types)

    def provided_types(self) -> list[str] | None:
        """The model types the plugins register, or None when no plugin registers any (the
        core alone, where every stage skips): then a configured type cannot be checked."""
        if not self.plugins.implementations("register_model_types"):
            return None
        return sorted(model_types(self.plugins))

    def known_type(self, name: str) -> str:
        """NAME, when the configuration or a plugin knows that model type; else an error."""
        known = set(self.config.types) | set(model_types(self.plugins))
        if name not in known:
            raise ModelforgeError(
                f"unknown model type '{name}' (known: {', '.join(sorted(known)) or 'none'})"
            )
        return name

    @cached_property
    def database(self) -> Database:
        """The database without touching its schema (for `db current`)."""
        from modelforge.db import Database

        return Database(self.config.data_dir, migration_locations(self.plugins))

    @cached_property
    def db(self) -> Database:
        """The database, migrated to the newest schema on first use."""
        self.database.ensure_schema()
        return self.database
