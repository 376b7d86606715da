"""cases forwarded between bodies on the platform: the link to the case made at the other body

Revision ID: 0021_case_forwarding
Revises: 0020_line_accounts
Create Date: 2026-11-29 21:40:00

A case forwarded to another body on the same platform names the body and the case made there
(``forwarded_to_*``); that case names the body it came from (``forwarded_from_organization_id``).
Nullable columns: existing cases are untouched and an upgrade needs no operator step. The keys
cross bodies; PostgreSQL checks foreign keys without row-level security, and each side reads the
other's row only in that body's scope (``app.organizations.scope.crossing_into``).
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_case_forwarding"
down_revision = "0020_line_accounts"
branch_labels = None
depends_on = None

COLUMNS = (
    ("forwarded_to_organization_id", "organizations"),
    ("forwarded_to_case_id", "cases"),
    ("forwarded_from_organization_id", "organizations"),
)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for column, table in COLUMNS:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch.create_foreign_key(f"fk_cases_{column}_{table}", table, [column], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        for column, table in COLUMNS:
            batch.drop_constraint(f"fk_cases_{column}_{table}", type_="foreignkey")
            batch.drop_column(column)
