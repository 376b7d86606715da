"""cases: partial index for counting a period's cases by category

Revision ID: 0009_report_counts
Revises: 0008_staff_contacts
Create Date: 2026-11-24 19:05:00
"""

from alembic import op
import sqlalchemy as sa


revision = '0009_report_counts'
down_revision = '0008_staff_contacts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index(
            'ix_cases_report_counts',
            ['received_at', 'category_id'],
            unique=False,
            postgresql_where=sa.text('merged_into_id IS NULL'),
            sqlite_where=sa.text('merged_into_id IS NULL'),
        )


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_report_counts')
