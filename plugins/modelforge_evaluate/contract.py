"""What the evaluate plugin lets others read (see modelforge.contracts): its tables, the keys
of its track and select results, and the event it records for a regression."""

from __future__ import annotations

from modelforge.contracts import Contract, Table
from modelforge_evaluate.tables import (
    EvalRun,
    EvalSample,
    FixedTestRun,
    Regression,
    SelectionDecision,
    Weakness,
)

REGRESSION_EVENT = "track.regression"
WEAKNESSES_KEY = "weaknesses"  # track's result: the weak categories it found
DECISIONS_KEY = "decisions"  # select's result: one decision per responsibility, with reasons

CONTRACT = Contract(
    tables={
        "evaluations": Table.of(
            EvalRun, "id", "model_type", "cycle_id", "model_name", "samples", "passed"
        ),
        # each held-out problem's verdict: the generation mix's "edge" reads pass rates from it
        "evaluation_samples": Table.of(EvalSample, "eval_run_id", "category", "difficulty", "ok"),
        "weaknesses": Table.of(
            Weakness, "model_type", "category", "severity", "model_name", "cycle_id"
        ),
        "regressions": Table.of(
            Regression, "model_type", "category", "model_name", "cycle_id", "created_at"
        ),
        # the learning curve: each cycle's trained model on the type's fixed test set
        "test_scores": Table.of(
            FixedTestRun, "model_type", "cycle_id", "model_name", "samples", "passed"
        ),
        "selection_decisions": Table.of(
            SelectionDecision,
            "responsibility",
            "action",
            "model",
            "previous",
            "cycle_id",
            "created_at",
        ),
    },
    result_keys={"weaknesses": WEAKNESSES_KEY, "selection_decisions": DECISIONS_KEY},
    events={"regression": REGRESSION_EVENT},
)
