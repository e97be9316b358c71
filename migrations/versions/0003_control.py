"""control requests: the CLI and the TUI steer the daemon through this table

Revision ID: 0003_control
Revises: 0002_examples
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_control"
down_revision = "0002_examples"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "control_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("model_type", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("handled_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.String(), nullable=True),
    )
    op.create_index("ix_control_requests_status", "control_requests", ["status"])


def downgrade() -> None:
    op.drop_table("control_requests")
