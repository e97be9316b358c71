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
    """The examples this stage drew before, or `count` fresh unserved ones, recorded first.

    A run killed after the store marked its draw served but before the record landed finds
    them by `served_to` (one stage of one cycle) and trains on them, rather than drawing anew.
    """
    record = work_dir / RECORD
    with db.session() as session:
        if record.exists():
            ids = json.loads(record.read_text())["example_ids"]
            drawn = col(Example.id).in_(ids)
        else:
            drawn = (Example.model_type == model_type) & (Example.served_to == served_to)
        rows = sorted(session.exec(select(Example).where(drawn)).all(), key=lambda row: row.id)
    if record.exists():
        return rows
    rows = rows or ExampleStore(db).draw(model_type, count, served_to=served_to)
    with atomic_path(record) as scratch:
        scratch.write_text(json.dumps({"example_ids": [row.id for row in rows]}))
    return rows
