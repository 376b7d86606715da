"""organizations: the bodies an installation serves; every body's rows carry their organization

Revision ID: 0014_organizations
Revises: 0013_integrity_reporter_sessions
Create Date: 2026-11-29 18:45:00

1. ``organizations`` (slug, names, type, area codes, contacts, per-body settings) and
   ``organization_hosts`` (host name -> organization).
2. One organization, ``default``, made with no action by the operator: its names and contacts
   are empty, which means "the installation's ``ORG_*`` settings", so a single-body install
   upgraded from 0013 shows exactly what it showed before.
3. ``organization_id`` (NOT NULL, indexed, foreign key) on every table whose rows belong to a
   body, filled with that organization. The column is added with the organization's id as a
   server default (no UPDATE, so the audit log's append-only trigger is not involved and
   PostgreSQL rewrites nothing), which is then dropped: new rows name their organization.
4. Codes and keys that were unique per installation become unique per body: department and
   category codes, case and integrity codes and sequences, integrity receipt lookup ids, report
   notes per period, and the tracking-code counters (primary key with the organization).

SQLite alters through batch mode (a copy of each table). The downgrade keeps only what a
single-body install needs: it fails if two bodies hold the same code.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_organizations"
down_revision = "0013_integrity_reporter_sessions"
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

# table: [(old unique constraint, its columns)], [(new name, columns)]
UNIQUES = {
    "departments": ([("uq_departments_code", ["code"])], [("uq_departments_organization_code", ["organization_id", "code"])]),
    "categories": ([("uq_categories_code", ["code"])], [("uq_categories_organization_code", ["organization_id", "code"])]),
    "cases": (
        [("uq_cases_code", ["code"]), ("uq_cases_fiscal_year_sequence", ["fiscal_year", "sequence"])],
        [
            ("uq_cases_organization_code", ["organization_id", "code"]),
            ("uq_cases_organization_sequence", ["organization_id", "fiscal_year", "sequence"]),
        ],
    ),
    "integrity_reports": (
        [
            ("uq_integrity_reports_code", ["code"]),
            ("uq_integrity_reports_year_sequence", ["fiscal_year", "sequence"]),
            ("uq_integrity_reports_receipt_lookup", ["receipt_lookup"]),
        ],
        [
            ("uq_integrity_reports_organization_code", ["organization_id", "code"]),
            ("uq_integrity_reports_organization_sequence", ["organization_id", "fiscal_year", "sequence"]),
            ("uq_integrity_reports_organization_lookup", ["organization_id", "receipt_lookup"]),
        ],
    ),
    "users": ([("uq_users_email", ["email"])], [("uq_users_organization_email", ["organization_id", "email"])]),
    "report_notes": (
        [("uq_report_notes_period_key", ["period_key"])],
        [("uq_report_notes_organization_period", ["organization_id", "period_key"])],
    ),
}


def _create_tables() -> None:
    op.create_table(
        "organizations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name_th", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=30), nullable=False),
        sa.Column("province_code", sa.String(length=2), nullable=True),
        sa.Column("district_code", sa.String(length=4), nullable=True),
        sa.Column("subdistrict_codes", sa.JSON(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("office_hours", sa.String(length=200), nullable=False),
        sa.Column("line_basic_id", sa.String(length=40), nullable=False),
        sa.Column("emblem_path", sa.String(length=300), nullable=False),
        sa.Column("mail_sender_name", sa.String(length=200), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        sa.Column("public_stats_min_count", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organizations")),
        sa.UniqueConstraint("slug", name=op.f("uq_organizations_slug")),
    )
    op.create_index(op.f("ix_organizations_province_code"), "organizations", ["province_code"])
    op.create_index(op.f("ix_organizations_district_code"), "organizations", ["district_code"])
    op.create_table(
        "organization_hosts",
        sa.Column("host", sa.String(length=253), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_organization_hosts_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("host", name=op.f("pk_organization_hosts")),
    )
    op.create_index(
        op.f("ix_organization_hosts_organization_id"), "organization_hosts", ["organization_id"]
    )


def _insert_default_organization() -> int:
    organizations = sa.table(
        "organizations",
        *(
            sa.column(name)
            for name in (
                "slug", "name_th", "name_en", "type", "phone", "address", "office_hours",
                "line_basic_id", "emblem_path", "mail_sender_name", "active", "created_at",
            )
        ),
        sa.column("subdistrict_codes", sa.JSON()),
    )
    bind = op.get_bind()
    bind.execute(
        organizations.insert().values(
            slug="default", name_th="", name_en="", type="sao",
            subdistrict_codes=[], phone="", address="", office_hours="",
            line_basic_id="", emblem_path="", mail_sender_name="", active=True,
            created_at=sa.func.current_timestamp(),
        )
    )
    return int(bind.execute(sa.text("SELECT id FROM organizations WHERE slug = 'default'")).scalar_one())


def _add_owner_column(table: str, organization_id: int) -> None:
    with op.batch_alter_table(table) as batch:
        batch.add_column(
            sa.Column(
                "organization_id",
                sa.Integer(),
                nullable=False,
                server_default=sa.text(str(organization_id)),
            )
        )
        batch.create_foreign_key(
            f"fk_{table}_organization_id_organizations", "organizations", ["organization_id"], ["id"]
        )
        if table != "tracking_sequences":
            batch.create_index(f"ix_{table}_organization_id", ["organization_id"])
    with op.batch_alter_table(table) as batch:
        batch.alter_column("organization_id", server_default=None)


def upgrade() -> None:
    _create_tables()
    organization_id = _insert_default_organization()
    for table in OWNED_TABLES:
        _add_owner_column(table, organization_id)
    for table, (old, new) in UNIQUES.items():
        with op.batch_alter_table(table) as batch:
            for name, _columns in old:
                batch.drop_constraint(name, type_="unique")
            for name, columns in new:
                batch.create_unique_constraint(name, columns)
    with op.batch_alter_table("tracking_sequences") as batch:
        batch.drop_constraint("pk_tracking_sequences", type_="primary")
        batch.create_primary_key(
            "pk_tracking_sequences", ["organization_id", "prefix", "fiscal_year"]
        )


def downgrade() -> None:
    with op.batch_alter_table("tracking_sequences") as batch:
        batch.drop_constraint("pk_tracking_sequences", type_="primary")
        batch.create_primary_key("pk_tracking_sequences", ["prefix", "fiscal_year"])
    for table, (old, new) in UNIQUES.items():
        with op.batch_alter_table(table) as batch:
            for name, _columns in new:
                batch.drop_constraint(name, type_="unique")
            for name, columns in old:
                batch.create_unique_constraint(name, columns)
    for table in reversed(OWNED_TABLES):
        with op.batch_alter_table(table) as batch:
            if table != "tracking_sequences":
                batch.drop_index(f"ix_{table}_organization_id")
            batch.drop_constraint(f"fk_{table}_organization_id_organizations", type_="foreignkey")
            batch.drop_column("organization_id")
    op.drop_index(op.f("ix_organization_hosts_organization_id"), table_name="organization_hosts")
    op.drop_table("organization_hosts")
    op.drop_index(op.f("ix_organizations_district_code"), table_name="organizations")
    op.drop_index(op.f("ix_organizations_province_code"), table_name="organizations")
    op.drop_table("organizations")
