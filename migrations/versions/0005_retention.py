"""retention: cases.anonymised_at

Revision ID: 0005_retention
Revises: 0004_review
Create Date: 2026-11-24 16:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_retention"
down_revision = "0004_review"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch_op:
        batch_op.add_column(sa.Column("anonymised_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_column("anonymised_at")
