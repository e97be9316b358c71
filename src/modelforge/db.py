"""The SQLite database: one file under the data directory, WAL, shared by daemon, CLI and TUI.

Every writing transaction starts with BEGIN IMMEDIATE: in WAL mode a deferred transaction
that reads and then writes fails at once with "database is locked" when another writer got
in between, and busy_timeout cannot help it. Taking the write lock up front makes writers
queue on busy_timeout instead. Read-only sessions (status, checklist, the TUI) begin a plain
deferred transaction, so a refresh never holds the write lock the daemon is waiting for.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from modelforge.resources import bundled

BUSY_TIMEOUT_MS = 60_000
READ_ONLY = "modelforge_read_only"


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine


class Database:
    """The engine plus the migrations that own its schema."""

    def __init__(self, data_dir: Path, version_locations: list[Path] | None = None):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "modelforge.db"
        self.engine = make_engine(self.path)
        self.version_locations = list(version_locations or [])

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session for reads only: it never takes the write lock, and nothing is committed."""
        with Session(self.engine.execution_options(**{READ_ONLY: True})) as session:
            yield session  # closing ends the transaction without expiring what was read

    def _alembic_config(self):
        from alembic.config import Config

        migrations = bundled("migrations")
        locations = [migrations / "versions", *self.version_locations]
        config = Config()
        config.set_main_option("script_location", str(migrations))
        config.set_main_option("path_separator", "os")
        config.set_main_option("version_locations", os.pathsep.join(map(str, locations)))
        return config

    def heads(self) -> set[str]:
        from alembic.script import ScriptDirectory

        return set(ScriptDirectory.from_config(self._alembic_config()).get_heads())

    def current(self) -> set[str]:
        from alembic.migration import MigrationContext

        with self.engine.connect() as connection:
            return set(MigrationContext.configure(connection).get_current_heads())

    def upgrade(self, target: str = "heads") -> None:
        """Apply migrations; concurrent callers queue on the write lock and find nothing to do."""
        from alembic import command

        config = self._alembic_config()
        with self.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, target)

    def ensure_schema(self) -> None:
        """Migrate on first use, as every command that touches the database does."""
        if self.current() != self.heads():
            self.upgrade()
