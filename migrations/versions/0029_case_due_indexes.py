"""cases: the "all" tab by due date, and an officer's tab counts, each one index range

Revision ID: 0029_case_due_indexes
Revises: 0028_policy_estimates
Create Date: 2026-11-30 02:10:00

``ix_cases_organization_due`` orders a body's every case by due date: the queue's "all" tab (and a
search's matches, probed in that order until a page is full) no longer sorts all the body's cases
for one page, four seconds for the largest body of bench/platform.py (1.2 M cases).
``ix_cases_organization_department`` gains ``status``: an officer's tab counts, each status counted
up to its cap among the officer's departments' cases, read one range per status instead of every
case of the status with the department checked row by row. Building them locks writes to cases
for as long as it takes: seconds for a body's cases, a minute or two at ten million.
"""

from alembic import op

revision = "0029_case_due_indexes"
down_revision = "0028_policy_estimates"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_cases_organization_due", "cases", ["organization_id", "answer_due", "id"])
    op.drop_index("ix_cases_organization_department", table_name="cases")
    op.create_index(
        "ix_cases_organization_department", "cases", ["organization_id", "department_id", "status"]
    )


def downgrade() -> None:
    op.drop_index("ix_cases_organization_department", table_name="cases")
    op.create_index(
        "ix_cases_organization_department", "cases", ["organization_id", "department_id"]
    )
    op.drop_index("ix_cases_organization_due", table_name="cases")
