"""Due dates in Thai working days, and due/overdue states."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.calendar import BANGKOK
from app.deadlines import DueState, due_after, due_state


def _bangkok(*args: int) -> datetime:
    return datetime(*args, tzinfo=BANGKOK)


def test_due_dates_skip_the_weekend_and_songkran():
    # Friday 10 April 2026; the weekend, then Songkran 13-15 April (Mon-Wed).
    received = _bangkok(2026, 4, 10, 16, 30)
    assert due_after(received, 3) == date(2026, 4, 20)
    # 15 working days also skip Labour Day (1 May) and Coronation Day (4 May).
    assert due_after(received, 15) == date(2026, 5, 8)


def test_the_thai_day_of_receipt_counts_not_the_utc_one():
    # 23:30 UTC on Thursday 9 April is already Friday 10 April in Thailand.
    assert due_after(datetime(2026, 4, 9, 23, 30, tzinfo=UTC), 3) == date(2026, 4, 20)


@pytest.mark.parametrize(
    ("today", "done_at", "expected"),
    [
        (date(2026, 4, 8), None, DueState.ON_TIME),
        (date(2026, 4, 17), None, DueState.DUE_SOON),  # next working day is the 20th
        (date(2026, 4, 20), None, DueState.DUE_SOON),
        (date(2026, 4, 21), None, DueState.OVERDUE),
        (date(2026, 4, 30), _bangkok(2026, 4, 20, 23, 0), DueState.MET),
        (date(2026, 4, 30), _bangkok(2026, 4, 21, 8, 0), DueState.LATE),
    ],
)
def test_due_state(today, done_at, expected):
    assert due_state(date(2026, 4, 20), done_at, today) == expected
