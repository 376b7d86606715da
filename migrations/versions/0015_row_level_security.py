"""row-level security on every organization's table (PostgreSQL): the second wall

Revision ID: 0015_row_level_security
Revises: 0014_organizations
Create Date: 2026-11-29 19:00:00

Each table with an ``organization_id`` shows a role that does not own it only the rows of the
organization named in the transaction-local setting ``rongrian.organization_id``, which the app
sets from its current scope (``app.organizations.scope``); ``platform`` shows every body's rows
(the outbox worker's and LINE processor's claims). A connection that never set it, such as a
query run by hand as the app's role, sees no rows and can write none. The tables' owner (who runs
the migrations) and superusers are not subject to these policies: the app must connect as its own
role (README, "Database roles"). SQLite has no such wall: nothing to do there. The policy is
written once, in ``migrations/rls.py``.
"""

from migrations import rls

revision = "0015_row_level_security"
down_revision = "0014_organizations"
branch_labels = None
depends_on = None

OWNED_TABLES = (
    "departments",
    "categories",
    "tracking_sequences",
    "cases",
    "case_events",
    "attachments",
    "integrity_reports",
    "integrity_messages",
    "integrity_attachments",
    "line_webhook_events",
    "line_conversations",
    "notifications",
    "report_notes",
    "reply_templates",
    "users",
    "user_roles",
    "audit_entries",
)


def upgrade() -> None:
    for table in OWNED_TABLES:
        rls.enable(table)


def downgrade() -> None:
    for table in OWNED_TABLES:
        rls.disable(table)

