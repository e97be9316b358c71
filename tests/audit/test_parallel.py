"""Many files are audited in worker processes, with the same result as one process gives."""

import pytest
from modelforge_audit import parallel
from modelforge_audit.scan import audit_paths


def _square(number: int) -> int:
    return number * number


def test_ordered_map_keeps_order_in_workers(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    assert list(parallel.ordered_map(_square, list(range(50)), workers=2)) == [
        n * n for n in range(50)
    ]


def test_few_items_are_mapped_in_this_process():
    seen = []
    assert list(parallel.ordered_map(seen.append, [1, 2], workers=8)) == [None, None]
    assert seen == [1, 2]  # a worker's appends would not show here


@pytest.mark.parametrize("workers", [1, 2])
def test_read_only_audit_in_workers_matches_a_full_one(monkeypatch, tree, settings, workers):
    for number in range(40):  # enough files for a pool
        (tree / f"copy{number:02d}.md").write_bytes((tree / "plan.md").read_bytes())
    (tree / "broken.md").write_bytes(b"not UTF-8 \xff")
    monkeypatch.setattr(parallel, "cpus", lambda: workers)
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 2)
    full = audit_paths([str(tree)], settings)
    done = []
    light = audit_paths([str(tree)], settings, lambda *step: done.append(step), keep=False)
    assert light.findings == full.findings and len(light.findings) > 40
    assert light.problems == full.problems and light.summary() == full.summary()
    assert [a.label for a in light.files] == [a.label for a in full.files]
    total = len(light.files) + 1  # the broken file counts too
    assert done == [(n, total) for n in range(1, total + 1)]
    assert light.files[0].source is None and full.files[0].source is not None


def test_an_interrupt_from_progress_stops_the_pool(monkeypatch, tree, settings):
    for number in range(40):
        (tree / f"copy{number:02d}.md").write_bytes((tree / "plan.md").read_bytes())
    monkeypatch.setattr(parallel, "cpus", lambda: 2)
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 2)

    def stop(done: int, total: int) -> None:
        if done == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        audit_paths([str(tree)], settings, stop, keep=False)
