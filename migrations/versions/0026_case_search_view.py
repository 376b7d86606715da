"""cases: the view ``case_search``, so the queue's search uses the trigram indexes under RLS

Revision ID: 0026_case_search_view
Revises: 0023_organization_case_indexes
Create Date: 2026-11-30 01:00:00

Row-level security lets the planner apply a query's own conditions only through *leakproof*
functions before the policy has passed a row. ``ILIKE`` is not leakproof, so as the app's role
(which does not own the tables) the queue's search could not use the trigram indexes of 0011: it
read every case of the body, seconds for a body of a million cases (bench/platform.py).

``case_search`` shows the searched columns of ``cases`` with the policy's own condition
(``rls.MATCHES``: the organization named in the transaction's setting, or every one for
``platform``) written into the view. A view runs with its owner's rights, and the owner of the
tables is not subject to their policies, so the planner may use the trigram indexes; the
condition in the view keeps the same wall: a query that forgot its scope finds nothing.
``WITH CHECK OPTION`` gives writes through the view the policy's ``WITH CHECK`` too.

PostgreSQL only: SQLite has no row-level security, and a view there would stand in the way of the
table rebuilds later SQLite migrations make of ``cases``.
"""

from alembic import op

from migrations import rls

revision = "0026_case_search_view"
down_revision = "0023_organization_case_indexes"
branch_labels = None
depends_on = None

# The columns ``cases.models.CASE_SEARCH_COLUMNS`` names (migrations do not import app code).
COLUMNS = ("code", "subject", "details")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE VIEW case_search AS SELECT id, organization_id, {', '.join(COLUMNS)}"
        f" FROM cases WHERE {rls.MATCHES} WITH CHECK OPTION"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP VIEW case_search")
