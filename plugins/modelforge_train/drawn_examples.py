"""The examples a stage trains on, drawn once: a resumed run reads back the same ones.

Drawing marks examples served in the core's store; the ids are written to the stage's work
directory so that a killed run, resumed, trains on exactly what it drew and draws nothing new.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import col, select

from modelforge.artifacts import atomic_path
from modelforge.db import Database
from modelforge.examples import ExampleStore
from modelforge.examples.models import Example

RECORD = "drawn_examples.json"


def draw_once(
    db: Database, work_dir: Path, model_type: str, count: int, served_to: str
) -> list[Example]:
    """The examples this stage drew before, or `count` fresh unserved ones, recorded first."""
    record = work_dir / RECORD
    if record.exists():
        ids = json.loads(record.read_text())["example_ids"]
        with db.session() as session:
            rows = session.exec(select(Example).where(col(Example.id).in_(ids))).all()
        return sorted(rows, key=lambda row: row.id)
    rows = ExampleStore(db).draw(model_type, count, served_to=served_to)
    with atomic_path(record) as scratch:
        scratch.write_text(json.dumps({"example_ids": [row.id for row in rows]}))
    return rows
