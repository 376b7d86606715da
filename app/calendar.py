"""The calendar both tracks share: Thai dates, fiscal years and working days.

"Today" and "midnight" are Bangkok's: a case received at 23:30 on a Monday in Bangkok belongs to
Monday, whatever the server's clock says. The fiscal year runs 1 October to 30 September and is
named by the Buddhist-Era year of its September. Due dates count Thai working days: weekends and
public holidays (from the ``holidays`` package, which knows Thailand's, substitution days
included) do not count.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from app.models import utcnow

BANGKOK = ZoneInfo("Asia/Bangkok")
BUDDHIST_ERA_OFFSET = 543


def local_date(moment: datetime) -> date:
    """The calendar date in Thailand of an aware timestamp."""
    return moment.astimezone(BANGKOK).date()


def today_in_thailand() -> date:
    """Today's date in Thailand."""
    return local_date(utcnow())


def bangkok_midnight(day: date) -> datetime:
    """The start of ``day`` in Bangkok, as an aware UTC timestamp (for ``>=`` / ``<`` filters)."""
    return datetime.combine(day, time.min, tzinfo=BANGKOK).astimezone(UTC)


def fiscal_year_be(day: date) -> int:
    """The Buddhist-Era fiscal year that ``day`` belongs to (2026-11-24 -> 2570)."""
    gregorian = day.year + 1 if day.month >= 10 else day.year
    return gregorian + BUDDHIST_ERA_OFFSET


@lru_cache(maxsize=32)
def _thai_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("TH", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Thai public holiday."""
    return day.weekday() < 5 and day not in _thai_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (the day of receipt does not count)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end <= start``)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
