"""platform accounts, their audit log, first-admin invitations; oversight's read-only policies

Revision ID: 0022_platform_accounts
Revises: 0021_case_forwarding
Create Date: 2026-11-29 22:10:00

Platform administrators and oversight accounts belong to no body (``platform_accounts``); what
they do on the platform's own pages goes to ``platform_audit_entries``; a body's first admin is
invited through ``platform_invitations`` (a code's hash, used once). None of these is a body's
own data, so none has the organizations' row-level security.

On PostgreSQL, oversight's roll-up reads several bodies' rows of the two tables it counts
(``cases``, ``integrity_reports``) through a second, read-only policy: ``FOR SELECT`` only, and
only the rows of the organizations listed in the transaction-local setting
``rongrian.organization_ids`` (``app.organizations.scope.reading_organizations``). Permissive
policies add up, so every other statement still needs ``organization_isolation``; no other
table is readable this way, and no write ever is. The roll-up reads one index range per body through
``ix_cases_organization_received`` (0023). Nothing for an operator to do.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022_platform_accounts"
down_revision = "0021_case_forwarding"
branch_labels = None
depends_on = None

READ_TABLES = ("cases", "integrity_reports")
READ_SET = (
    "organization_id = ANY (NULLIF(current_setting('rongrian.organization_ids', true), '')"
    "::integer[])"
)


def upgrade() -> None:
    op.create_table(
        "platform_accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.Column("district_code", sa.String(length=4), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("last_sign_in_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_accounts")),
        sa.UniqueConstraint("email", name=op.f("uq_platform_accounts_email")),
    )
    op.create_table(
        "platform_audit_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("account_email", sa.String(length=254), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.Column("action", sa.String(length=60), nullable=False),
        sa.Column("target_type", sa.String(length=40), nullable=True),
        sa.Column("target_id", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_audit_entries")),
    )
    op.create_index(
        "ix_platform_audit_entries_at", "platform_audit_entries", ["at", "id"], unique=False
    )
    op.create_table(
        "platform_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("invited_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["invited_by"],
            ["platform_accounts.id"],
            name=op.f("fk_platform_invitations_invited_by_platform_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_platform_invitations_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_invitations")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_platform_invitations_code_hash")),
    )
    op.create_index(
        op.f("ix_platform_invitations_organization_id"),
        "platform_invitations",
        ["organization_id"],
        unique=False,
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in READ_TABLES:
            op.execute(f"CREATE POLICY organization_set_read ON {table} FOR SELECT USING ({READ_SET})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in READ_TABLES:
            op.execute(f"DROP POLICY organization_set_read ON {table}")
    op.drop_index(
        op.f("ix_platform_invitations_organization_id"), table_name="platform_invitations"
    )
    op.drop_table("platform_invitations")
    op.drop_index("ix_platform_audit_entries_at", table_name="platform_audit_entries")
    op.drop_table("platform_audit_entries")
    op.drop_table("platform_accounts")
