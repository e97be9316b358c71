"""The category mix: shares sum to one, coverage and weaknesses pull, the floor holds."""

from modelforge_generate.mix import allocate, shares


def test_uniform_without_weaknesses_or_examples():
    assert shares(["a", "b"], {}, None, floor=0.1, weakness_weight=0.5) == {"a": 0.5, "b": 0.5}


def test_coverage_favours_categories_with_few_examples():
    share = shares(["a", "b"], {"a": 100, "b": 0}, None, floor=0.1, weakness_weight=0.5)
    assert share["b"] > 0.85 and share["a"] >= 0.1
    assert abs(sum(share.values()) - 1) < 1e-9


def test_weaknesses_pull_and_the_floor_holds():
    share = shares(["a", "b", "c"], {}, {"c": 1.0}, floor=0.2, weakness_weight=1.0)
    assert share == {"a": 0.2, "b": 0.2, "c": 0.6000000000000001} or abs(share["c"] - 0.6) < 1e-9
    assert min(share.values()) >= 0.2 - 1e-12


def test_allocate_sums_to_n():
    counts = allocate({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}, 10)
    assert sum(counts.values()) == 10 and max(counts.values()) - min(counts.values()) <= 1
