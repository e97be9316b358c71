"""audit: the findings table (the latest audit of each task PATH)

Revision ID: audit_0001
Revises:
Depends on: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "audit_0001"
down_revision = None
branch_labels = ("audit",)
depends_on = "0001_core"


def upgrade() -> None:
    op.create_table(
        "audit_findings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("audited_at", sa.DateTime(), nullable=False),
        sa.Column("root", sa.String(), nullable=False),
        sa.Column("file", sa.String(), nullable=False),
        sa.Column("real_path", sa.String(), nullable=False),
        sa.Column("task_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("replacement", sa.JSON(), nullable=False),
        sa.Column("marked", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_audit_findings_root", "audit_findings", ["root"])
    op.create_index("ix_audit_findings_action", "audit_findings", ["action"])


def downgrade() -> None:
    op.drop_table("audit_findings")
