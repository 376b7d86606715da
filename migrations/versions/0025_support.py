"""case_subscribers and attachments.purpose: support, follow, and officers' after photos

Revision ID: 0025_support
Revises: 0024_publication
Create Date: 2026-11-29 21:40:00

``case_subscribers`` holds the residents who support a case (แจ้งเหมือนกัน) or follow it
(ติดตามเรื่องนี้), with their private contact details; on PostgreSQL it has the same row-level
security as every organization's table (0015). ``attachments.purpose`` tells the resident's files
from an officer's photos of the fix; existing rows are the residents' (server default).
"""

import sqlalchemy as sa
from alembic import op

from migrations import rls

revision = "0025_support"
down_revision = "0024_publication"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(
            sa.Column(
                "purpose", sa.String(length=20), nullable=False, server_default="resident"
            )
        )
    op.create_table(
        "case_subscribers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("contact_name", sa.String(length=200), nullable=False),
        sa.Column("contact_phone", sa.String(length=20), nullable=False),
        sa.Column("contact_email", sa.String(length=254), nullable=False),
        sa.Column("line_user_id", sa.String(length=64), nullable=True),
        sa.Column("privacy_notice_version", sa.String(length=20), nullable=False),
        sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_subscribers_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_case_subscribers_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_subscribers")),
    )
    op.create_index(
        op.f("ix_case_subscribers_case_id"), "case_subscribers", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_case_subscribers_organization_id"),
        "case_subscribers",
        ["organization_id"],
        unique=False,
    )
    rls.enable("case_subscribers")  # the second wall, as in 0015


def downgrade() -> None:
    op.drop_index(op.f("ix_case_subscribers_organization_id"), table_name="case_subscribers")
    op.drop_index(op.f("ix_case_subscribers_case_id"), table_name="case_subscribers")
    op.drop_table("case_subscribers")
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("purpose")
