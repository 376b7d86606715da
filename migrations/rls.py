"""Row-level security of an organization's table on PostgreSQL: the one policy every migration uses.

Each table with an ``organization_id`` shows a role that does not own it only the rows of the
organization named in the transaction-local setting ``rongrian.organization_id`` (which
``app.organizations.scope`` keeps equal to the app's current scope); ``platform`` shows every
body's rows. Not app code (migrations import none): a migration that adds an organization's table
does ``from migrations import rls`` and calls ``rls.enable(table)`` in its upgrade (and
``rls.disable(table)`` in its downgrade if it keeps the table). SQLite has no such wall:
both do nothing there.
"""

from __future__ import annotations

from alembic import op

SETTING = "current_setting('rongrian.organization_id', true)"
# An unset or empty setting gives NULL: no row matches. The integer comparison keeps the
# organization_id indexes usable.
ORGANIZATION = f"NULLIF(NULLIF({SETTING}, ''), 'platform')::integer"
# Each setting is read in a scalar subquery, so PostgreSQL reads it once per statement (an
# InitPlan) instead of twice per row: counting a large body's cases spent most of its time in
# those calls (bench/platform.py). Policies made before 0023 had the per-row form; 0023 rewrote
# them to this one.
MATCHES = f"((SELECT {SETTING}) = 'platform' OR organization_id = (SELECT {ORGANIZATION}))"
# The condition the policies use: ``MATCHES`` is true, written so that the planner expects it to
# keep nearly every row. It keeps exactly the rows ``MATCHES`` keeps (NULLIF turns false into
# NULL, so unset settings still show nothing). Written plainly, the planner guessed it kept one row
# in a few hundred, on top of the query's own ``organization_id = N``: it expected 2,500 cases of a
# body of 1.2 million, and chose plans fit for 2,500 (a sort of every open case of a department
# instead of reading the due-date index until a page is full: 0.34 s instead of 3 ms; a probe per
# case instead of reading a search's matches). It guesses that a test for NULL of an expression it
# has no statistics for keeps 99.5 % of the rows. Migration 0028 rewrote 0023's form to this one.
VISIBLE = f"(NULLIF({MATCHES}, false) IS NOT NULL)"
POLICY = "organization_isolation"


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def enable(table: str) -> None:
    """Turn row-level security on for ``table`` with the organization policy."""
    if not _postgresql():
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY {POLICY} ON {table} USING {VISIBLE} WITH CHECK {VISIBLE}")


def disable(table: str) -> None:
    """Undo ``enable``."""
    if not _postgresql():
        return
    op.execute(f"DROP POLICY {POLICY} ON {table}")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def set_every_policy(visible: str) -> None:
    """Give every existing organization policy the condition ``visible`` (a rewrite of the
    expression, as 0023 did)."""
    if not _postgresql():
        return
    tables = op.get_bind().exec_driver_sql(
        "SELECT tablename FROM pg_policies WHERE policyname = 'organization_isolation'"
        " ORDER BY tablename"
    )
    for table in list(tables.scalars()):
        op.execute(f"ALTER POLICY {POLICY} ON {table} USING {visible} WITH CHECK {visible}")
