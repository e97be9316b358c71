"""evaluate: the fixed test set of each type and rules version, and the scores on it

Revision ID: evaluate_0002
Revises: evaluate_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "evaluate_0002"
down_revision = "evaluate_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "test_sets",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("rules_version", sa.String(), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("per_category", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.Column("example_ids", sa.JSON(), nullable=False),
    )
    op.create_index("ix_test_sets_model_type", "test_sets", ["model_type"])
    op.create_table(
        "test_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("test_set_id", sa.Integer(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("model_name", sa.String(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), nullable=True),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("passed", sa.Integer(), nullable=False),
        sa.Column("by_difficulty", sa.JSON(), nullable=False),
        sa.Column("by_category", sa.JSON(), nullable=False),
    )
    for column in ("test_set_id", "cycle_id", "model_type", "model_name"):
        op.create_index(f"ix_test_runs_{column}", "test_runs", [column])


def downgrade() -> None:
    op.drop_table("test_runs")
    op.drop_table("test_sets")
