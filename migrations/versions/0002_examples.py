"""examples: the example store (batches, verified examples, LSH band buckets)

Revision ID: 0002_examples
Revises: 0001_core
Create Date: 2026-11-27
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_examples"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "example_batches",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("cycle_id", sa.Integer(), sa.ForeignKey("cycles.id"), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("requested", sa.Integer(), nullable=False),
        sa.Column("mix", sa.JSON(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_example_batches_model_type", "example_batches", ["model_type"])
    op.create_index("ix_example_batches_cycle_id", "example_batches", ["cycle_id"])

    op.create_table(
        "examples",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("difficulty", sa.Integer(), nullable=False),
        sa.Column("problem", sa.JSON(), nullable=False),
        sa.Column("steps", sa.JSON(), nullable=False),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("batch_id", sa.Integer(), sa.ForeignKey("example_batches.id"), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("served_at", sa.DateTime(), nullable=True),
        sa.Column("served_to", sa.String(), nullable=True),
    )
    op.create_index("ix_examples_category", "examples", ["category"])
    op.create_index("ix_examples_batch_id", "examples", ["batch_id"])
    op.create_index(
        "ux_examples_type_hash", "examples", ["model_type", "content_hash"], unique=True
    )
    op.create_index("ix_examples_type_served", "examples", ["model_type", "served_at", "id"])

    op.create_table(
        "example_bands",
        sa.Column("example_id", sa.Integer(), sa.ForeignKey("examples.id"), primary_key=True),
        sa.Column("band", sa.Integer(), primary_key=True),
        sa.Column("model_type", sa.String(), nullable=False),
        sa.Column("bucket", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_example_bands_bucket", "example_bands", ["model_type", "bucket"])


def downgrade() -> None:
    op.drop_table("example_bands")
    op.drop_table("examples")
    op.drop_table("example_batches")
