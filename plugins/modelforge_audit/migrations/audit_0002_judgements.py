"""audit: the judge's verdicts on review findings, with provenance

Revision ID: audit_0002
Revises: audit_0001
"""

import sqlalchemy as sa
from alembic import op

revision = "audit_0002"
down_revision = "audit_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_judgements",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("judged_at", sa.DateTime(), nullable=False),
        sa.Column("root", sa.String(), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("task_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("verdict", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("backend", sa.String(), nullable=False),
        sa.Column("model", sa.String(), nullable=False),
        sa.Column("prompt_hash", sa.String(), nullable=False),
        sa.Column("answer", sa.String(), nullable=False),
    )
    op.create_index("ix_audit_judgements_prompt_hash", "audit_judgements", ["prompt_hash"])


def downgrade() -> None:
    op.drop_table("audit_judgements")
