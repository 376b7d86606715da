"""LINE accounts per body: sealed credentials, and the account each LINE record came through

Revision ID: 0020_line_accounts
Revises: 0018_organization_integrity_keys
Create Date: 2026-11-29 21:45:00

``organizations.line_secret_sealed`` / ``line_token_sealed`` hold a body's own LINE Official
Account, encrypted by the app (``app.credentials``); empty means the installation's
``LINE_CHANNEL_*`` settings, so an upgraded install keeps answering with them. ``line_account``
on events, conversations, cases and notifications says which account the resident used ('' the
body's own, 'platform' the platform's); existing rows are the body's own. A conversation is now
one per (body, account, LINE user): several accounts under one LINE provider share user ids.
No new table, so no new row-level security policy.
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_line_accounts"
down_revision = "0018_organization_integrity_keys"
branch_labels = None
depends_on = None

ACCOUNT_TABLES = ("line_webhook_events", "line_conversations", "cases", "notifications")


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(sa.Column("line_secret_sealed", sa.Text(), nullable=True))
        batch.add_column(sa.Column("line_token_sealed", sa.Text(), nullable=True))
    for table in ACCOUNT_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("line_account", sa.String(20), nullable=False, server_default="")
            )
    with op.batch_alter_table("line_conversations") as batch:
        batch.drop_constraint("pk_line_conversations", type_="primary")
        batch.create_primary_key(
            "pk_line_conversations", ["organization_id", "line_account", "line_user_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("line_conversations") as batch:
        batch.drop_constraint("pk_line_conversations", type_="primary")
        batch.create_primary_key("pk_line_conversations", ["line_user_id"])
    for table in reversed(ACCOUNT_TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("line_account")
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("line_token_sealed")
        batch.drop_column("line_secret_sealed")
