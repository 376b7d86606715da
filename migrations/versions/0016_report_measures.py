"""report_measures: the ITA measures table of each round, edited by officers

Revision ID: 0016_report_measures
Revises: 0015_row_level_security
Create Date: 2026-11-29 18:40:00

One row per measure of a round (``period_key`` as in ``report_notes``), grouped by ITA
indicator, in the four columns of the report an อบต. files. A round starts from the previous
round's rows (copied by the application on the first edit), not from this migration.
The free-text ``report_notes.measures`` goes: the table replaces it (the downgrade brings the
column back empty). On PostgreSQL the table has the same row-level security as every
organization's table (0015).
"""

import sqlalchemy as sa
from alembic import op

from migrations import rls

revision = "0016_report_measures"
down_revision = "0015_row_level_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_notes", schema=None) as batch_op:
        batch_op.drop_column("measures")
    op.create_table(
        "report_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("indicator", sa.String(length=10), nullable=False),
        sa.Column("figure", sa.String(length=20), nullable=False),
        sa.Column("measure", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("success", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_report_measures_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_measures")),
        sa.UniqueConstraint(
            "organization_id", "period_key", "position", name="uq_report_measures_position"
        ),
    )
    op.create_index(
        op.f("ix_report_measures_period_key"), "report_measures", ["period_key"], unique=False
    )
    op.create_index(
        op.f("ix_report_measures_organization_id"),
        "report_measures",
        ["organization_id"],
        unique=False,
    )
    rls.enable("report_measures")  # the second wall, as in 0015


def downgrade() -> None:
    op.drop_index(op.f("ix_report_measures_organization_id"), table_name="report_measures")
    op.drop_index(op.f("ix_report_measures_period_key"), table_name="report_measures")
    op.drop_table("report_measures")
    with op.batch_alter_table("report_notes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("measures", sa.Text(), nullable=False, server_default=sa.text("''"))
        )

