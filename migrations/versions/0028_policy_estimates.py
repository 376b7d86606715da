"""row-level security: the policies in a form the planner estimates well (PostgreSQL)

Revision ID: 0028_policy_estimates
Revises: 0027_case_statistics
Create Date: 2026-11-30 02:00:00

Every organization policy, and the view ``case_search`` that repeats its condition, gets
``migrations.rls.VISIBLE``: the same rows as 0023's form, written so that the planner expects the
policy to keep nearly every row instead of one in a few hundred. With the old form PostgreSQL
expected a large body's queries to find a few thousand cases and chose plans fit for that (why:
``migrations/rls.py``; figures: bench/platform.py). Altering a policy or replacing a view's
definition is a change to the catalogue only: no table is read or locked for long.
"""

from alembic import op

from migrations import rls

revision = "0028_policy_estimates"
down_revision = "0027_case_statistics"
branch_labels = None
depends_on = None

COLUMNS = "id, organization_id, code, subject, details"


def _view(condition: str) -> None:
    op.execute(
        f"CREATE OR REPLACE VIEW case_search AS SELECT {COLUMNS} FROM cases"
        f" WHERE {condition} WITH CHECK OPTION"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    rls.set_every_policy(rls.VISIBLE)
    _view(rls.VISIBLE)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    rls.set_every_policy(rls.MATCHES)
    _view(rls.MATCHES)
