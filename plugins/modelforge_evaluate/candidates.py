"""Read the registry and the latest evaluations into one CandidateTable per model type."""

from __future__ import annotations

import numpy as np

from modelforge.db import Database
from modelforge.models import ModelEntry
from modelforge.registry import list_models
from modelforge_evaluate import results
from modelforge_evaluate.selection import CandidateTable

NEVER = "never selected: must be retrained (no SRL→RLVR lineage)"


def blocked_reason(entry: ModelEntry) -> str | None:
    if entry.status == "must_retrain" or (entry.kind == "local" and not entry.srl_rlvr):
        return NEVER
    if entry.status in ("retired", "stale"):
        return f"never selected: status {entry.status}"
    return None


def cost_per_1k(entry: ModelEntry, cpu_second_price: float) -> float:
    """Paid price per 1k tokens, or measured CPU seconds priced; nan when never measured."""
    if entry.price_per_1k_tokens is not None:
        return entry.price_per_1k_tokens
    if entry.kind == "local" and entry.cpu_seconds_per_1k_tokens is not None:
        return entry.cpu_seconds_per_1k_tokens * cpu_second_price
    return float("nan")


def load(
    db: Database, cpu_second_price: float, categories: dict[str, list[str]]
) -> dict[str, CandidateTable]:
    """categories: every model type's category names (from the model type plugins)."""
    entries = [e for e in list_models(db) if e.model_type is not None]
    latest = results.latest_run_ids(db)
    scores = results.scores_of(db, list(latest.values()))
    tables = {}
    for model_type in sorted({e.model_type for e in entries} | set(categories)):
        rows = [e for e in entries if e.model_type == model_type]
        names = list(categories.get(model_type) or [])
        for entry in rows:
            for category in scores.get(latest.get(entry.name), {}):
                if category not in names:
                    names.append(category)
        passed = np.zeros((len(rows), len(names)))
        samples = np.zeros((len(rows), len(names)))
        for i, entry in enumerate(rows):
            for category, (p, n) in scores.get(latest.get(entry.name), {}).items():
                passed[i, names.index(category)] = p
                samples[i, names.index(category)] = n
        tables[model_type] = CandidateTable(
            model_type=model_type,
            names=[e.name for e in rows],
            kinds=[e.kind for e in rows],
            tiers=[e.tier for e in rows],
            statuses=[e.status for e in rows],
            blocked=[blocked_reason(e) for e in rows],
            categories=names,
            passed=passed,
            samples=samples,
            cost_per_1k=np.array([cost_per_1k(e, cpu_second_price) for e in rows], dtype=float),
            latency_ms=np.array(
                [np.nan if e.latency_ms is None else e.latency_ms for e in rows], dtype=float
            ),
        )
    return tables
