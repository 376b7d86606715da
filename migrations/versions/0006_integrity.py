"""The integrity track's own tables (content columns hold Fernet tokens as text).

Revision ID: 0006_integrity
Revises: 0005_retention
Create Date: 2026-11-24 16:10:33.317706
"""

import sqlalchemy as sa
from alembic import op


revision = '0006_integrity'
down_revision = '0005_retention'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('integrity_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('about', sa.Text(), nullable=True),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('occurred', sa.Text(), nullable=True),
    sa.Column('location', sa.Text(), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('reporter_name', sa.Text(), nullable=True),
    sa.Column('reporter_contact', sa.Text(), nullable=True),
    sa.Column('news_email', sa.Text(), nullable=True),
    sa.Column('content_digest', sa.String(length=64), nullable=True),
    sa.Column('receipt_lookup', sa.String(length=12), nullable=False),
    sa.Column('receipt_hash', sa.String(length=200), nullable=False),
    sa.Column('failed_receipts', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledge_due', sa.Date(), nullable=False),
    sa.Column('answer_due', sa.Date(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('unread_by_reporter', sa.Boolean(), nullable=False),
    sa.Column('purged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_reports')),
    sa.UniqueConstraint('code', name=op.f('uq_integrity_reports_code')),
    sa.UniqueConstraint('fiscal_year', 'sequence', name='uq_integrity_reports_year_sequence'),
    sa.UniqueConstraint('receipt_lookup', name=op.f('uq_integrity_reports_receipt_lookup'))
    )
    with op.batch_alter_table('integrity_reports', schema=None) as batch_op:
        batch_op.create_index('ix_integrity_reports_received_at', ['received_at', 'id'], unique=False)
        batch_op.create_index('ix_integrity_reports_status_answer_due', ['status', 'answer_due', 'id'], unique=False)

    op.create_table('integrity_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('staging_token', sa.String(length=64), nullable=True),
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.Text(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('added_by', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['integrity_reports.id'], name=op.f('fk_integrity_attachments_report_id_integrity_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_integrity_attachments_stored_name'))
    )
    with op.batch_alter_table('integrity_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_attachments_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_integrity_attachments_staging_token'), ['staging_token'], unique=False)

    op.create_table('integrity_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=30), nullable=False),
    sa.Column('body', sa.Text(), nullable=True),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=True),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['integrity_reports.id'], name=op.f('fk_integrity_messages_report_id_integrity_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_integrity_messages'))
    )
    with op.batch_alter_table('integrity_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_integrity_messages_report_id'), ['report_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('integrity_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrity_messages_report_id'))

    op.drop_table('integrity_messages')
    with op.batch_alter_table('integrity_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_integrity_attachments_staging_token'))
        batch_op.drop_index(batch_op.f('ix_integrity_attachments_report_id'))

    op.drop_table('integrity_attachments')
    with op.batch_alter_table('integrity_reports', schema=None) as batch_op:
        batch_op.drop_index('ix_integrity_reports_status_answer_due')
        batch_op.drop_index('ix_integrity_reports_received_at')

    op.drop_table('integrity_reports')
