"""Reporting periods: a six-monthly round of a Thai fiscal year, or any date range.

The fiscal year runs 1 October to 30 September and is named by the Buddhist-Era year of its
September. Round 1 is 1 October to 31 March (reported in April), round 2 is 1 April to
30 September (reported in October). Periods are whole local (Bangkok) days, ``end`` included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.calendar import BUDDHIST_ERA_OFFSET, bangkok_midnight, fiscal_year_be
from app.input import EARLIEST_YEAR_BE, LATEST_YEAR_BE, date_in_range, parse_int, parse_thai_day

ROUNDS = (1, 2)


class PeriodError(ValueError):
    """A period that cannot be reported on (end before start, unknown round, ...)."""


@dataclass(frozen=True)
class Period:
    """Local days ``start`` to ``end`` inclusive; ``fiscal_year``/``round`` set for a round."""

    start: date
    end: date
    fiscal_year: int | None = None
    round: int | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("the period ends before it starts")

    @classmethod
    def for_round(cls, fiscal_year: int, round_: int) -> Period:
        """Round 1 (Oct-Mar) or 2 (Apr-Sep) of the Buddhist-Era ``fiscal_year``."""
        if round_ not in ROUNDS:
            raise PeriodError("a round is 1 or 2")
        september_year = fiscal_year - BUDDHIST_ERA_OFFSET
        if round_ == 1:
            return cls(date(september_year - 1, 10, 1), date(september_year, 3, 31), fiscal_year, 1)
        return cls(date(september_year, 4, 1), date(september_year, 9, 30), fiscal_year, 2)

    @classmethod
    def containing(cls, day: date) -> Period:
        """The round that ``day`` falls in."""
        return cls.for_round(fiscal_year_be(day), 2 if 4 <= day.month <= 9 else 1)

    @classmethod
    def from_text(cls, start: str, end: str) -> Period:
        """The days ``start`` to ``end`` as typed: day first in the Buddhist Era (``27/11/2569``),
        as the staff pages show dates, or ISO (the links the report makes); within 2000-2200 CE."""
        first, last = _typed_day(start), _typed_day(end)
        if first is None or last is None:
            raise PeriodError("dates are day/month/Buddhist-Era year between 2543 and 2743")
        return cls(first, last)

    @classmethod
    def round_from_text(cls, fiscal_year: str, round_: str) -> Period:
        """A round as typed: a Buddhist-Era fiscal year within 2543-2743 and 1 or 2."""
        year = parse_int(fiscal_year, EARLIEST_YEAR_BE, LATEST_YEAR_BE)
        number = parse_int(round_, 1, 2)
        if year is None or number is None:
            raise PeriodError("a round is a fiscal year between 2543 and 2743 and 1 or 2")
        return cls.for_round(year, number)

    @classmethod
    def from_key(cls, key: str) -> Period:
        """The period of a ``key`` (the inverse of ``Period.key``)."""
        if "_" in key:
            return cls.from_text(*key.split("_", 1))
        if "-" in key:
            return cls.round_from_text(*key.split("-", 1))
        raise PeriodError(f"not a period: {key[:40]}")

    def query_args(self) -> dict[str, str]:
        """URL arguments naming this period (``fy``/``round`` or ``start``/``end``)."""
        if self.fiscal_year is not None and self.round is not None:
            return {"fy": str(self.fiscal_year), "round": str(self.round)}
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @property
    def is_round(self) -> bool:
        """Whether this is a six-monthly round rather than a free date range."""
        return self.round is not None

    @property
    def key(self) -> str:
        """A stable text key (``2569-1`` or ``2026-01-01_2026-02-15``) for saved report notes."""
        if self.is_round:
            return f"{self.fiscal_year}-{self.round}"
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def days(self) -> int:
        """The number of days in the period."""
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period just before: the previous round, or a range of the same length."""
        if self.fiscal_year is not None and self.round is not None:
            if self.round == 2:
                return Period.for_round(self.fiscal_year, 1)
            return Period.for_round(self.fiscal_year - 1, 2)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def year_before(self) -> Period:
        """The same round (or the same dates) one year earlier."""
        if self.fiscal_year is not None and self.round is not None:
            return Period.for_round(self.fiscal_year - 1, self.round)
        return Period(_year_earlier(self.start), _year_earlier(self.end))

    def months(self) -> list[tuple[int, int]]:
        """Every (year, month) the period touches, in order."""
        months = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """Midnight in Bangkok at the start, and midnight after the last day, both in UTC.

        Filtering ``start <= received_at < end`` on these keeps the timestamp index usable.
        """
        return bangkok_midnight(self.start), bangkok_midnight(self.end + timedelta(days=1))

    def as_of(self, today: date) -> date:
        """The day figures "at period end" are taken: the last day, or today if earlier."""
        return min(self.end, today)


def _year_earlier(day: date) -> date:
    # 29 February has no twin a year earlier; 28 February stands in for it.
    if day.month == 2 and day.day == 29:
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def _typed_day(text: str) -> date | None:
    day = parse_thai_day(text)
    return day if day is not None and date_in_range(day) else None
