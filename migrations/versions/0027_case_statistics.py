"""cases: the planner learns that a department or a category belongs to one body (PostgreSQL)

Revision ID: 0027_case_statistics
Revises: 0026_case_search_view
Create Date: 2026-11-30 02:00:00

PostgreSQL takes the conditions of a query as independent. An officer's queue asks for
``organization_id = 1 AND department_id = 3``: a department belongs to one body, so the second
implies the first, but the planner multiplied their shares (12 % of the cases times 4 %) and
expected 43,000 rows where there were 407,000 (bench/platform.py, 10 M cases). Expecting few, it
read them all and sorted them (0.4 s) instead of walking the due-date index until it had a page.
Functional-dependency statistics tell it; ``ANALYZE`` fills them now (seconds at millions of
cases) rather than at autovacuum's next pass.
"""

from alembic import op

revision = "0027_case_statistics"
down_revision = "0026_case_search_view"
branch_labels = None
depends_on = None

# Each column names a row of one body's own (its ids are unique across bodies).
BODY_COLUMNS = ("department_id", "category_id", "assigned_to_id")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in BODY_COLUMNS:
        op.execute(
            f"CREATE STATISTICS st_cases_organization_{column} (dependencies)"
            f" ON organization_id, {column} FROM cases"
        )
    op.execute("ANALYZE cases")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in BODY_COLUMNS:
        op.execute(f"DROP STATISTICS st_cases_organization_{column}")
