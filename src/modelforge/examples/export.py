"""Export a type's stored examples as JSONL or as a Hugging Face `datasets` dataset on disk."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from modelforge.artifacts import atomic_path
from modelforge.examples.models import Example
from modelforge.examples.store import ExampleStore


def record(example: Example) -> dict[str, Any]:
    """One exported row: problem, steps, outcome, provenance, and whether it was served."""
    return {
        "id": example.id,
        "model_type": example.model_type,
        "category": example.category,
        "difficulty": example.difficulty,
        "problem": example.problem,
        "steps": example.steps,
        "outcome": example.outcome,
        "content_hash": example.content_hash,
        "provenance": example.provenance,
        "created_at": example.created_at.isoformat(),
        "served": example.served_at is not None,
    }


def export(
    store: ExampleStore, model_type: str, fmt: str, out: Path, *, force: bool = False
) -> int:
    """Write every stored example of the type to out atomically; return how many.

    An existing out is refused (TargetExists) unless it is a folder modelforge wrote, or a
    file and force is set; a folder modelforge did not write is never replaced.
    """
    rows = (record(example) for example in store.iter_examples(model_type))
    with atomic_path(out, replace_file=force) as scratch:
        if fmt == "jsonl":
            count = 0
            with scratch.open("w", encoding="utf-8") as handle:
                for row in rows:
                    handle.write(json.dumps(row, ensure_ascii=False) + "\n")
                    count += 1
            return count
        from datasets import Dataset

        # Nested dicts vary by type; JSON strings keep one schema for every model type.
        flat = [
            {**row, **{key: json.dumps(row[key]) for key in ("problem", "steps", "provenance")}}
            for row in rows
        ]
        Dataset.from_list(flat).save_to_disk(str(scratch))
        return len(flat)
