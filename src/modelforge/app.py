"""What a command works with: plugins, then config and database, each built once on demand."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from modelforge.plugins import Plugins, config_sections, migration_locations

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
        from modelforge.config import load

        return load(self.config_path, self.home, config_sections(self.plugins))

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
