"""integrity_reports: a server-side reporter session; no more per-report receipt lock

Revision ID: 0013_integrity_reporter_sessions
Revises: 0012_audit_guard_reference_data
Create Date: 2026-11-29 16:00:00

``reporter_session`` holds the SHA-256 of the nonce a reporter's browser got when it opened the
report with the receipt; "Leave" clears it, so a copied cookie stops working. The per-report
lock (``failed_receipts``, ``locked_until``) goes: it told whoever knew a 6-digit lookup id that
the report existed and let them keep its reporter out. Wrong receipts are now throttled per
client. The downgrade brings the lock columns back empty (no report locked).
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_integrity_reporter_sessions"
down_revision = "0012_audit_guard_reference_data"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("integrity_reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reporter_session", sa.String(length=64), nullable=True))
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_receipts")


def downgrade() -> None:
    with op.batch_alter_table("integrity_reports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("failed_receipts", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_column("reporter_session")
    with op.batch_alter_table("integrity_reports", schema=None) as batch_op:
        batch_op.alter_column("failed_receipts", server_default=None)
