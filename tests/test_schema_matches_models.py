"""Each table is defined twice on purpose, as a model and as its migration; this keeps the two
the same: alembic's own comparison of every model (the core's and every first-party plugin's)
with the database that the migrations build, which must find no difference."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from sqlalchemy import MetaData
from sqlmodel import SQLModel

FIRST_PARTY = [
    "modelforge",
    "modelforge_arith",
    "modelforge_audit",
    "modelforge_evaluate",
    "modelforge_finetune",
    "modelforge_gamepack",
    "modelforge_generate",
    "modelforge_serve",
    "modelforge_train",
]


def table_modules() -> list[str]:
    """Every first-party module that defines a table, found by reading the sources (so that a
    new table is compared without being listed here)."""
    found = []
    for package in FIRST_PARTY:
        for info in pkgutil.walk_packages(importlib.import_module(package).__path__, f"{package}."):
            spec = importlib.util.find_spec(info.name)
            origin = spec.origin if spec else None
            if origin and origin.endswith(".py") and "table=True" in Path(origin).read_text():
                found.append(info.name)
    return found


def test_every_model_matches_its_migration(app):
    modules = table_modules()
    assert {"modelforge.models", "modelforge_evaluate.tables", "modelforge_audit.store"} <= set(
        modules
    )
    for name in modules:
        importlib.import_module(name)
    expected = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(expected)
    # the scheduler's job table is APScheduler's own design, which the core migration copies
    SQLAlchemyJobStore(url="sqlite://", tablename="apscheduler_jobs").jobs_t.to_metadata(expected)
    with app.db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), expected)
    assert differences == []
