"""The working-day calendar table that lets SQL count Thai working days.

``app.calendar`` decides what a working day is (weekends and Thai public holidays from the
``holidays`` package). Counting them per case in Python would loop over every row of a report;
instead each calendar day is stored once with a running ordinal, and a report joins on it.
Whole calendar years are filled on first use; ``flask reports refresh-calendar`` rebuilds the
table after the holiday data changes (e.g. a special holiday announced by the cabinet).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.calendar import is_working_day
from app.database import AnySession, unit_of_work
from reports.models import WorkingDay
from reports.sql import dialect_name

# Ordinals count from here; any fixed day works, it only has to never change.
ANCHOR = date(2000, 1, 1)


def ordinal_of(day: date) -> int:
    """Working days after ``ANCHOR`` up to and including ``day`` (negative before it)."""
    step = timedelta(days=1)
    count = 0
    if day >= ANCHOR:
        current = ANCHOR
        while current < day:
            current += step
            count += is_working_day(current)
        return count
    current = day
    while current < ANCHOR:
        current += step
        count -= is_working_day(current)
    return count


def _rows(first: date, last: date) -> list[dict[str, Any]]:
    ordinal = ordinal_of(first)
    rows = [{"day": first, "ordinal": ordinal}]
    current = first
    while current < last:
        current += timedelta(days=1)
        ordinal += is_working_day(current)
        rows.append({"day": current, "ordinal": ordinal})
    return rows


def ensure_working_days(session: AnySession, first: date, last: date) -> None:
    """Make the table cover every day of the calendar years from ``first`` to ``last``.

    Safe to run concurrently: rows another process inserted first are skipped.
    """
    start, end = date(first.year, 1, 1), date(last.year, 12, 31)
    present = session.scalar(
        select(func.count()).select_from(WorkingDay).where(WorkingDay.day.between(start, end))
    )
    if present == (end - start).days + 1:
        return
    insert = pg_insert if dialect_name(session) == "postgresql" else sqlite_insert
    statement = insert(WorkingDay).on_conflict_do_nothing(index_elements=["day"])
    session.execute(statement, _rows(start, end))


def refresh_working_days(session: AnySession) -> None:
    """Forget the stored calendar; the next report refills it from current holiday data."""
    with unit_of_work(session):
        session.execute(delete(WorkingDay))
