"""bench/mutation.py counts each outcome apart, and its score is killed over the mutants that
ran: a timeout is not a kill, a skipped mutant or one outside the sample is not in the count."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "mutation.py"


@pytest.fixture(scope="module")
def mutation():
    spec = importlib.util.spec_from_file_location("mutation_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_each_outcome_is_counted_apart(mutation):
    statuses = {
        "a": "killed",
        "b": "killed",
        "c": "killed",
        "d": "survived",
        "e": "timeout",
        "f": "skipped",
        "g": "not checked",
        "h": "not checked",
        "i": "suspicious",
    }
    assert mutation.tally(statuses) == {
        "killed": 3,
        "survived": 1,
        "timeout": 1,
        "skipped": 1,
        "other": 1,
        "not run": 2,
    }


def test_a_timeout_is_not_a_kill_and_skipped_is_not_counted(mutation):
    counts = {"killed": 3, "survived": 1, "timeout": 1, "skipped": 1, "other": 1, "not run": 2}
    line = mutation.describe(counts)
    # ran: 3 killed + 1 survived + 1 timeout + 1 other = 6; 3/6 by hand
    assert line.startswith("killed 3/6 (50.0%); ")
    assert "1 timed out" in line and "1 skipped" in line and "2 not run" in line
