"""The auditor on its labelled corpora: the in-sample one it was tuned on, and a held-out one.

The corpora and their labels (labels.toml, each with why) are written by hand; tests/audit/heldout
was labelled and committed before the classifier first ran on it. bench/audit_quality.py prints
precision and recall for every action of both. The floors below are the figures measured when
each corpus was first run (held-out: before any rule was changed after seeing it), as counts of
its tasks: a rule change may raise them, never lower them.
"""

import importlib.util
import sys
from fractions import Fraction
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "audit_quality.py"
HERE = Path(__file__).resolve().parent

# (labelled tasks, files) of each corpus
SIZES = {"corpus": (53, 9), "heldout": (51, 7)}
# action: (precision, recall) floors, as right over given and right over labelled (compared as
# floats: both sides are the nearest float to the same fraction)
FLOORS = {
    "corpus": {
        "deprecate": (Fraction(10, 10), Fraction(10, 10)),
        "enhance": (Fraction(4, 4), Fraction(4, 5)),
        "update": (Fraction(10, 10), Fraction(10, 10)),
        "review": (Fraction(4, 5), Fraction(4, 5)),
        "none": (Fraction(22, 24), Fraction(22, 23)),
    },
    "heldout": {
        "deprecate": (Fraction(4, 7), Fraction(4, 10)),
        "enhance": (Fraction(2, 2), Fraction(2, 7)),
        "update": (Fraction(7, 9), Fraction(7, 8)),
        "review": (Fraction(3, 11), Fraction(3, 5)),
        "none": (Fraction(16, 22), Fraction(16, 21)),
    },
}


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("audit_quality", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def measured(bench):
    return {corpus: bench.measure(HERE / corpus) for corpus in SIZES}


@pytest.fixture(scope="module")
def quality(measured):
    return measured["corpus"]


@pytest.mark.parametrize("corpus", SIZES)
def test_corpus_size_and_every_task_labelled(measured, corpus):
    quality = measured[corpus]
    assert (len(quality.labels), len({file for file, _ in quality.labels})) == SIZES[corpus]
    assert quality.unlabelled == [] and quality.missing == []


@pytest.mark.parametrize(
    ("corpus", "action"), [(corpus, action) for corpus in FLOORS for action in FLOORS[corpus]]
)
def test_precision_and_recall_keep_their_floor(measured, corpus, action):
    quality = measured[corpus]
    precision, recall = FLOORS[corpus][action]
    misses = [(key, quality.got.get(key)) for key in quality.wrong]
    assert quality.precision(action) >= float(precision), misses
    assert quality.recall(action) >= float(recall), misses


def test_the_bench_measures_both_corpora(bench):
    assert bench.PARTS == {"in-sample": HERE / "corpus", "held-out": HERE / "heldout"}


@pytest.mark.parametrize(
    ("file", "task_id", "action"),
    [
        # The misjudgements of issue 16, one by one.
        ("studio/ai-platform.md", "AI-001", "update"),  # inference service, one fine-tune line
        ("ops/meta-management.md", "OPS-001", "review"),  # orchestration, 'retrain' in passing
        ("roadmap/phase-7-learning.md", "Task 7.5", "update"),  # learning service
        ("ops/meta-management.md", "OPS-002", "review"),  # detection evasion, 'model training'
        ("models/per-type-models.md", "MODEL-PERS-001", "update"),  # per-type model system
        ("studio/ai-platform.md", "AI-003", "update"),  # LoRA adapter system
        ("game/engine-integration.md", "GE-010", "none"),  # HTTP integration, 'inference server'
        ("game/engine-integration.md", "GE-011", "none"),  # integration testing, 'test suite'
    ],
)
def test_the_issue_cases(quality, file, task_id, action):
    assert quality.labels[(file, task_id)]["action"] == action
    assert quality.got[(file, task_id)] == action, quality.reasons[(file, task_id)]


def test_a_single_line_is_named_as_the_line_that_moves(quality):
    decided, against = quality.reasons[("studio/ai-platform.md", "AI-001")]
    assert decided[0] == "serving: 'Inference Service' in the title"
    assert "fine-tuning pipeline: 'Fine-tune' at line 17: this line moves to SRL→RLVR" in decided
    assert (
        "fine-tuning pipeline: 'Fine-tune' at line 17: one line of a task whose purpose is "
        "kept: not deprecated"
    ) in against
