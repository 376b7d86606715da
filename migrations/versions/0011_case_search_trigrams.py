"""cases: trigram indexes for the officers' queue text search (PostgreSQL only)

Revision ID: 0011_case_search_trigrams
Revises: 0010_private_news_recipients
Create Date: 2026-11-24 20:00:00

The queue looks for each word with ``ILIKE '%word%'`` in code, subject or details; without an
index PostgreSQL reads every case. A GIN index with pg_trgm's ``gin_trgm_ops`` on each of the three
columns lets it combine three bitmap index scans instead (pg_trgm takes trigrams from Thai text as
well). pg_trgm is a trusted extension: the database owner may create it without superuser rights.
On SQLite this migration does nothing (no such index there; the search stays a scan).

The indexes are built ``CONCURRENTLY`` (outside the migration's transaction): a plain build
would hold new cases back for the whole build, about 25 s at a million cases. The downgrade drops
the indexes and leaves the extension, which other things may use.
"""

from alembic import op

revision = "0011_case_search_trigrams"
down_revision = "0010_private_news_recipients"
branch_labels = None
depends_on = None

# The columns ``cases.models.CASE_SEARCH_COLUMNS`` names (migrations do not import app code).
COLUMNS = ("code", "subject", "details")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.get_context().autocommit_block():
        for column in COLUMNS:
            op.create_index(
                f"ix_cases_{column}_trgm",
                "cases",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
                postgresql_concurrently=True,
            )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.drop_index(f"ix_cases_{column}_trgm", table_name="cases")
