"""organizations.integrity_key: each body's data key for integrity reports, wrapped

Revision ID: 0018_organization_integrity_keys
Revises: 0017_reply_template_moves
Create Date: 2026-11-29 20:10:00

Each organization's integrity reports are encrypted under its own random data key, stored here
only wrapped (encrypted) by the master key INTEGRITY_KEY. The migration cannot make keys (it has
no INTEGRITY_KEY): a body gets one on its first report, values written before stay readable under
the master key, and ``flask integrity rotate-key`` moves them to the body's key. No operator step.
The downgrade drops the column: run it only after moving values back under the master key.
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_organization_integrity_keys"
down_revision = "0017_reply_template_moves"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("integrity_key", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("integrity_key")
