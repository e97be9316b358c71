"""The auditor on its labelled corpus (tests/audit/corpus): deprecate is never wrong nor missed.

The corpus and its labels (labels.toml, each with why) are written by hand in the styles task
trees come in; bench/audit_quality.py prints precision and recall for every action.
"""

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "audit_quality.py"


@pytest.fixture(scope="module")
def quality():
    spec = importlib.util.spec_from_file_location("audit_quality", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module.measure()


def test_corpus_is_large_and_fully_labelled(quality):
    assert len(quality.labels) >= 40
    assert len({file for file, _ in quality.labels}) >= 6
    assert quality.unlabelled == [] and quality.missing == []


def test_deprecate_has_precision_and_recall_one(quality):
    assert quality.precision("deprecate") == 1.0, [
        key for key in quality.wrong if quality.got[key] == "deprecate"
    ]
    assert quality.recall("deprecate") == 1.0


def test_every_task_meant_for_a_finding_is_found(quality):
    # Recall of the plan: a task labelled with an action is never left out of the findings.
    wanted = [key for key, label in quality.labels.items() if label["action"] != "none"]
    assert [key for key in wanted if quality.got[key] == "none"] == [
        ("studio/narrative-ai.md", "NAR-004"),  # "Evaluate the models' answers": no term matches
        ("studio/narrative-ai.md", "NAR-005"),  # distillation is not in the vocabulary
    ]


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
