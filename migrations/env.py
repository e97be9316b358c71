"""Alembic environment: run by modelforge.db.Database with an open connection.

Run by hand (`alembic -c alembic.ini revision --autogenerate -m ...`) it opens the
database under MODELFORGE_HOME (default ~/.modelforge).
"""

import os
from pathlib import Path

from alembic import context
from sqlmodel import SQLModel

import modelforge.examples.models  # registers the example tables on SQLModel.metadata too
import modelforge.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from modelforge.db import make_engine

config = context.config
target_metadata = SQLModel.metadata


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    home = Path(os.environ.get("MODELFORGE_HOME", "~/.modelforge")).expanduser()
    home.mkdir(parents=True, exist_ok=True)
    with make_engine(home / "modelforge.db").begin() as connection:
        run(connection)
