"""finetune: the jobs table (one row per paid fine-tuning job or prompt optimisation)

Revision ID: finetune_0001
Revises:
Depends on: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "finetune_0001"
down_revision = None
branch_labels = ("finetune",)
depends_on = "0001_core"


def upgrade() -> None:
    op.create_table(
        "finetune_jobs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("provider", sa.String(), nullable=False),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("stage", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("base_model", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), sa.ForeignKey("cycles.id"), nullable=True),
        sa.Column("example_ids", sa.JSON(), nullable=False),
        sa.Column("data_path", sa.String(), nullable=True),
        sa.Column("upload_ref", sa.String(), nullable=True),
        sa.Column("provider_job_id", sa.String(), nullable=True),
        sa.Column("result_model", sa.String(), nullable=True),
        sa.Column("estimated_cost_usd", sa.Float(), nullable=True),
        sa.Column("price_per_1k", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ux_finetune_jobs_name", "finetune_jobs", ["name"], unique=True)
    op.create_index("ix_finetune_jobs_status", "finetune_jobs", ["status"])
    op.create_index("ix_finetune_jobs_provider", "finetune_jobs", ["provider", "model_type"])


def downgrade() -> None:
    op.drop_table("finetune_jobs")
