"""notifications: no reporter address left in "there is news" rows

Revision ID: 0010_private_news_recipients
Revises: 0009_report_counts
Create Date: 2026-11-25 10:00:00

Integrity "there is news" emails now keep the reporter's address encrypted in the report and
look it up at delivery (``notifications.recipients``). Rows queued before held it in clear: blank
them. Delivered ones lose nothing; one still waiting dies with "the recipient is no longer known"
(the reporter still sees the news with the receipt).
"""

from alembic import op

revision = "0010_private_news_recipients"
down_revision = "0009_report_counts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The last error too: a mail server's refusal may quote the address.
    op.execute(
        "UPDATE notifications SET recipient = '', last_error = ''"
        " WHERE template = 'integrity_news'"
    )


def downgrade() -> None:
    """Nothing to undo: the addresses are gone on purpose and the schema did not change."""
