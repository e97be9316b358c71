"""evaluate: held-out sets, per-sample results, scores, weaknesses, regressions, incumbents,
selection decisions, webhook deliveries

Revision ID: evaluate_0001
Revises:
Depends on: 0004_models
"""

import sqlalchemy as sa
from alembic import op

revision = "evaluate_0001"
down_revision = None
branch_labels = ("evaluate",)
depends_on = "0004_models"


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def upgrade() -> None:
    op.create_table(
        "heldout_sets",
        _id(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("per_category", sa.Integer(), nullable=False),
        sa.Column("rules_version", sa.String(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("example_ids", sa.JSON(), nullable=False),
    )
    op.create_index("ix_heldout_sets_model_type", "heldout_sets", ["model_type"])
    op.create_index("ix_heldout_sets_cycle_id", "heldout_sets", ["cycle_id"])
    op.create_table(
        "eval_runs",
        _id(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("heldout_set_id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("model_name", sa.String(), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("step_similarity", sa.Float(), nullable=True),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("cpu_seconds", sa.Float(), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=False),
    )
    for column in ("heldout_set_id", "cycle_id", "model_type", "model_name"):
        op.create_index(f"ix_eval_runs_{column}", "eval_runs", [column])
    op.create_table(
        "eval_scores",
        _id(),
        sa.Column("eval_run_id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("model_name", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
    )
    for column in ("eval_run_id", "cycle_id", "model_name"):
        op.create_index(f"ix_eval_scores_{column}", "eval_scores", [column])
    op.create_table(
        "eval_samples",
        _id(),
        sa.Column("eval_run_id", sa.Integer(), nullable=False),
        sa.Column("example_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("difficulty", sa.Integer(), nullable=False),
        sa.Column("input", sa.Text(), nullable=False),
        sa.Column("expected", sa.Text(), nullable=False),
        sa.Column("output", sa.Text(), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("rule", sa.String(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_eval_samples_eval_run_id", "eval_samples", ["eval_run_id"])
    op.create_table(
        "weaknesses",
        _id(),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("severity", sa.Float(), nullable=False),
        sa.Column("model_name", sa.String(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
    )
    op.create_index("ix_weaknesses_model_type", "weaknesses", ["model_type"])
    op.create_table(
        "regressions",
        _id(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("model_name", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
    )
    op.create_index("ix_regressions_cycle_id", "regressions", ["cycle_id"])
    op.create_index("ix_regressions_model_name", "regressions", ["model_name"])
    op.create_table(
        "incumbents",
        sa.Column("responsibility", sa.String(), primary_key=True),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("model", sa.String(), nullable=False),
        sa.Column("previous", sa.String(), nullable=True),
        sa.Column("since", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "selection_decisions",
        _id(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("responsibility", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("model", sa.String(), nullable=True),
        sa.Column("previous", sa.String(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_selection_decisions_cycle_id", "selection_decisions", ["cycle_id"])
    op.create_index(
        "ix_selection_decisions_responsibility", "selection_decisions", ["responsibility"]
    )
    op.create_table(
        "webhook_deliveries",
        _id(),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(), nullable=False),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
    )
    op.create_index("ix_webhook_deliveries_event_id", "webhook_deliveries", ["event_id"])
    op.create_table(
        "webhook_cursors",
        sa.Column("target", sa.String(), primary_key=True),
        sa.Column("last_event_id", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "webhook_cursors",
        "webhook_deliveries",
        "selection_decisions",
        "incumbents",
        "regressions",
        "weaknesses",
        "eval_samples",
        "eval_scores",
        "eval_runs",
        "heldout_sets",
    ):
        op.drop_table(table)
