"""Due dates and overdue checks, for any record with a due date and a "done" moment.

Due dates are counted in Thai working days (``app.calendar``); whether a record is overdue
depends only on its due date, whether the matching action was done and today's date in Thailand.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from app.calendar import add_working_days, local_date, today_in_thailand, working_days_between
from app.statuses import OPEN_STATUSES, Status

# A due date this many working days away (or less) is flagged as coming up.
DUE_SOON_WORKING_DAYS = 1


class DueState(StrEnum):
    """Where a record stands against one due date."""

    ON_TIME = "on_time"  # not done, due later
    DUE_SOON = "due_soon"  # not done, due today or the next working day
    OVERDUE = "overdue"  # not done, due date passed (เกินกำหนด)
    MET = "met"  # done on or before the due date
    LATE = "late"  # done after the due date


def due_after(start: datetime, working_days: int) -> date:
    """The due date ``working_days`` Thai working days after the local day of ``start``."""
    return add_working_days(local_date(start), working_days)


def due_state(due: date, done_at: datetime | None, today: date | None = None) -> DueState:
    """The state of ``due`` given when the action was done (``None``: not yet)."""
    if done_at is not None:
        return DueState.MET if local_date(done_at) <= due else DueState.LATE
    today = today or today_in_thailand()
    if today > due:
        return DueState.OVERDUE
    if working_days_between(today, due) <= DUE_SOON_WORKING_DAYS:
        return DueState.DUE_SOON
    return DueState.ON_TIME


def next_due(record: Any) -> date:
    """The first due date still ahead of ``record`` (the acknowledgement's, until acknowledged)."""
    due: date = record.acknowledge_due if record.acknowledged_at is None else record.answer_due
    return due


def is_overdue(record: Any, today: date) -> bool:
    """An open ``record`` is past its answer's due date, or its acknowledgement's while none."""
    return bool(
        record.answer_due < today
        or (record.acknowledged_at is None and record.acknowledge_due < today)
    )


def overdue_clause(
    due_column: Any, still_pending: ColumnElement[bool], today: date | None = None
) -> ColumnElement[bool]:
    """SQL: ``due_column`` has passed while ``still_pending`` (the action is not done) holds."""
    return and_(still_pending, due_column < (today or today_in_thailand()))


def overdue_condition(record: Any, today: date | None = None) -> ColumnElement[bool]:
    """SQL: ``record`` (a case or an integrity report: any model with the due-date columns)
    is past a due date without the matching action (not acknowledged / not answered)."""
    return or_(
        overdue_clause(
            record.acknowledge_due,
            and_(record.status == Status.RECEIVED, record.acknowledged_at.is_(None)),
            today,
        ),
        overdue_clause(record.answer_due, record.status.in_(OPEN_STATUSES), today),
    )
