"""reports: working-day calendar and report notes

Revision ID: 0003_reports
Revises: 0002_accounts
Create Date: 2026-11-24 16:08:09.878090
"""

from alembic import op
import sqlalchemy as sa


revision = '0003_reports'
down_revision = '0002_accounts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('report_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_key', sa.String(length=40), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('measures', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_notes')),
    sa.UniqueConstraint('period_key', name=op.f('uq_report_notes_period_key'))
    )
    op.create_table('report_working_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_report_working_days'))
    )


def downgrade() -> None:
    op.drop_table('report_working_days')
    op.drop_table('report_notes')
