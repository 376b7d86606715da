"""line bot: webhook events and conversations

Revision ID: 0007_line_bot
Revises: 0006_integrity
Create Date: 2026-11-24 16:09:16.093447
"""

from alembic import op
import sqlalchemy as sa


revision = '0007_line_bot'
down_revision = '0006_integrity'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('line_conversations',
    sa.Column('line_user_id', sa.String(length=64), nullable=False),
    sa.Column('step', sa.String(length=20), nullable=False),
    sa.Column('draft', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('privacy_acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('line_user_id', name=op.f('pk_line_conversations'))
    )
    op.create_table('line_webhook_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webhook_event_id', sa.String(length=64), nullable=False),
    sa.Column('event_type', sa.String(length=40), nullable=False),
    sa.Column('line_user_id', sa.String(length=64), nullable=True),
    sa.Column('is_redelivery', sa.Boolean(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_line_webhook_events')),
    sa.UniqueConstraint('webhook_event_id', name=op.f('uq_line_webhook_events_webhook_event_id'))
    )
    with op.batch_alter_table('line_webhook_events', schema=None) as batch_op:
        batch_op.create_index('ix_line_webhook_events_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_index('ix_line_webhook_events_user_status', ['line_user_id', 'status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('line_webhook_events', schema=None) as batch_op:
        batch_op.drop_index('ix_line_webhook_events_user_status')
        batch_op.drop_index('ix_line_webhook_events_status_created')

    op.drop_table('line_webhook_events')
    op.drop_table('line_conversations')
