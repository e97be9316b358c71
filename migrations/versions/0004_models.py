"""model registry: local artifacts, paid provider models and prompted models

Revision ID: 0004_models
Revises: 0003_control
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_models"
down_revision = "0003_control"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "models",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False, unique=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("model_type", sa.String(), nullable=True),
        sa.Column("tier", sa.String(), nullable=True),
        sa.Column("provider", sa.String(), nullable=True),
        sa.Column("provider_model_id", sa.String(), nullable=True),
        sa.Column("path", sa.String(), nullable=True),
        sa.Column("base", sa.String(), nullable=True),
        sa.Column("adapter", sa.Boolean(), nullable=False),
        sa.Column("artifact_id", sa.Integer(), sa.ForeignKey("artifacts.id"), nullable=True),
        sa.Column("lineage", sa.JSON(), nullable=False),
        sa.Column("srl_rlvr", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("price_per_1k_tokens", sa.Float(), nullable=True),
        sa.Column("cpu_seconds_per_1k_tokens", sa.Float(), nullable=True),
        sa.Column("latency_ms", sa.Float(), nullable=True),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_models_model_type", "models", ["model_type"])


def downgrade() -> None:
    op.drop_table("models")
