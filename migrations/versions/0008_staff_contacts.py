"""notifications: staff contacts, dedupe key

Revision ID: 0008_staff_contacts
Revises: 0007_line_bot
Create Date: 2026-11-24 17:00:02.351214
"""

from alembic import op
import sqlalchemy as sa


revision = '0008_staff_contacts'
down_revision = '0007_line_bot'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_contacts',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('by_email', sa.Boolean(), nullable=False),
    sa.Column('line_recipient', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_contacts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_staff_contacts'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dedupe_key', sa.String(length=120), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_notifications_dedupe_key'), ['dedupe_key'])



def downgrade() -> None:
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_notifications_dedupe_key'), type_='unique')
        batch_op.drop_column('dedupe_key')

    op.drop_table('staff_contacts')
