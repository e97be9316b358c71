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

from modelforge.errors import ModelforgeError
from modelforge.resources import bundled

BUSY_TIMEOUT_MS = 60_000
READ_ONLY = "modelforge_read_only"

# SQLite's own error names (sqlite3.Error.sqlite_errorname) that a user fixes on the file, with
# what to tell them; every other database error is a bug and keeps its traceback.
_FILE_PROBLEMS = {  # the first matching prefix wins
    "SQLITE_NOTADB": "is not a SQLite database",
    "SQLITE_CORRUPT": "is damaged",
    "SQLITE_IOERR_SHORT_READ": "is truncated",
    "SQLITE_READONLY": "cannot be written",
    "SQLITE_CANTOPEN": "cannot be opened",
    "SQLITE_IOERR": "cannot be read or written",
    "SQLITE_FULL": "cannot grow: the disk is full",
}
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_IOERR_SHORT_READ")


class DatabaseProblem(ModelforgeError):
    """The database file is damaged, not a database, or cannot be written."""


def file_problem(path: Path, error: BaseException) -> DatabaseProblem | None:
    """A one-line message for a database error the user can fix, or None for any other."""
    name = getattr(error, "sqlite_errorname", "") or ""
    for prefix, what in _FILE_PROBLEMS.items():
        if name == prefix or name.startswith(prefix + "_"):
            break
    else:
        return None
    if prefix in _DAMAGED:
        advice = "move it aside (the next command creates a new one) or restore a backup"
    else:
        advice = "make it and its folder writable, or choose another data directory with --home"
    return DatabaseProblem(f"database {path} {what} ({error}): {advice}")


def read_only(path: Path) -> bool:
    """Whether path may not be written: by permission, or, for root (whom permissions do not
    stop), because it has no write bit at all, which says someone meant it read-only."""
    return not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222


def make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "handle_error")
    def _user_fixable(context):
        problem = file_problem(path, context.original_exception)
        if problem is not None:
            raise problem from context.original_exception

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
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseProblem(
                f"cannot create the data directory {data_dir}: {exc.strerror or exc}"
            ) from None
        self.path = data_dir / "modelforge.db"
        # SQLite writes beside the file (journal, WAL index) even to read, so refuse up front
        for place in (data_dir, self.path):
            if place.exists() and read_only(place):
                raise DatabaseProblem(
                    f"{place} is read-only: modelforge writes its database there; make it "
                    f"writable (chmod u+w {place}) or choose another data directory with --home"
                )
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

    def _scripts(self):
        from alembic.script import ScriptDirectory

        return ScriptDirectory.from_config(self._alembic_config())

    def heads(self) -> set[str]:
        return set(self._scripts().get_heads())

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

    def pending(self) -> list[str]:
        """The migrations not yet applied, oldest first.

        The current revisions alone cannot be compared with the heads: alembic records only
        the tips it reached, so a core revision that a plugin branch depends on (evaluate_0001
        on 0004_models) is applied yet absent from the version table. What counts is the
        ancestry, dependencies included.
        """
        from alembic.util import CommandError

        scripts = self._scripts()
        known = []
        for revision in self.current():
            try:
                scripts.get_revision(revision)
            except CommandError:  # a revision of a plugin no longer installed: nothing to apply
                continue
            known.append(revision)
        applied = {script.revision for script in scripts.iterate_revisions(tuple(known), "base")}
        available = [script.revision for script in scripts.iterate_revisions("heads", "base")]
        return [revision for revision in reversed(available) if revision not in applied]

    def ensure_schema(self) -> None:
        """Migrate on first use, as every command that touches the database does."""
        if self.pending():
            self.upgrade()
