"""cases: the queue's and the reports' indexes start with organization_id

Revision ID: 0023_organization_case_indexes
Revises: 0025_support
Create Date: 2026-11-29 22:00:00

Every query on cases runs in one organization, so an index that does not start with
organization_id makes one body's queue page or summary walk every body's rows of a status or a
period (bench/platform.py). The four indexes the queue and the reports used are rebuilt with
organization_id first (the department one without status: the tab counts read status from the
status index, in order) and two are added: the default tab's open cases by due date (partial) and the last-activity sort.
Building them locks writes to cases for as long as it takes: seconds for a single body's cases.

On PostgreSQL the row-level security policies (0015, 0016) are given the same meaning in a cheaper
form: each ``current_setting`` call is wrapped in a scalar subquery, so it runs once per statement
(an InitPlan) instead of twice per row. Counting one large body's cases by status spent most of
its time in those calls (figures: bench/README.md, platform.py).
"""

import sqlalchemy as sa
from alembic import op

from migrations import rls

revision = "0023_organization_case_indexes"
down_revision = "0025_support"
branch_labels = None
depends_on = None

OPEN = "status IN ('accepted', 'in_progress', 'received')"
REPORTED = "merged_into_id IS NULL"
# The policies' form before this revision (``rls.MATCHES`` is the form it gives them).
PER_ROW = f"({rls.SETTING} = 'platform' OR organization_id = {rls.ORGANIZATION})"


def _partial(name: str, columns: list[str], where: str) -> None:
    condition = sa.text(where)
    op.create_index(name, "cases", columns, postgresql_where=condition, sqlite_where=condition)


def upgrade() -> None:
    op.drop_index("ix_cases_status_answer_due", table_name="cases")
    op.drop_index("ix_cases_department_status", table_name="cases")
    op.drop_index("ix_cases_received_at", table_name="cases")
    op.drop_index("ix_cases_report_counts", table_name="cases")
    _partial("ix_cases_organization_open_due", ["organization_id", "answer_due", "id"], OPEN)
    op.create_index(
        "ix_cases_organization_status_due",
        "cases",
        ["organization_id", "status", "answer_due", "id"],
    )
    op.create_index(
        "ix_cases_organization_department", "cases", ["organization_id", "department_id"]
    )
    op.create_index(
        "ix_cases_organization_received", "cases", ["organization_id", "received_at", "id"]
    )
    op.create_index(
        "ix_cases_organization_activity", "cases", ["organization_id", "last_activity_at", "id"]
    )
    _partial("ix_cases_report_counts", ["organization_id", "received_at", "category_id"], REPORTED)
    rls.set_every_policy(rls.MATCHES)


def downgrade() -> None:
    rls.set_every_policy(PER_ROW)
    for name in (
        "ix_cases_report_counts",
        "ix_cases_organization_activity",
        "ix_cases_organization_received",
        "ix_cases_organization_department",
        "ix_cases_organization_status_due",
        "ix_cases_organization_open_due",
    ):
        op.drop_index(name, table_name="cases")
    _partial("ix_cases_report_counts", ["received_at", "category_id"], REPORTED)
    op.create_index("ix_cases_received_at", "cases", ["received_at", "id"])
    op.create_index("ix_cases_department_status", "cases", ["department_id", "status"])
    op.create_index("ix_cases_status_answer_due", "cases", ["status", "answer_due", "id"])
