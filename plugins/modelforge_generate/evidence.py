"""The checklist's `generation` item, answered from the example store."""

from __future__ import annotations

from modelforge.examples import ExampleStore


def generation_evidence(db, types: list[str]) -> tuple[str, str]:
    """Done when every enabled type stored new examples in two or more cycles."""
    if not types:
        return "not done", "no model type is enabled"
    store = ExampleStore(db)
    short, notes = [], []
    for model_type in types:
        cycles = store.cycles_with_examples(model_type)
        stats = store.stats(model_type)["total"]
        notes.append(
            f"{model_type}: {len(cycles)} cycle(s), {stats['stored']} stored, {stats['served']} served once"
        )
        if len(cycles) < 2:
            short.append(model_type)
    evidence = "; ".join(notes)
    if short:
        return (
            "not done",
            f"fewer than two cycles stored new examples for {', '.join(short)} ({evidence})",
        )
    return "done", f"{evidence}; the store serves each example at most once"
