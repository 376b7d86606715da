"""Fiscal years and Thai working days."""

from __future__ import annotations

from datetime import date

import pytest

from app.calendar import add_working_days, fiscal_year_be, is_working_day, working_days_between


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 9, 30), 2569),
        (date(2026, 10, 1), 2570),
        (date(2026, 11, 24), 2570),
        (date(2027, 3, 31), 2570),
    ],
)
def test_fiscal_year_is_named_by_its_september(day, year):
    assert fiscal_year_be(day) == year


def test_working_days_skip_songkran_and_the_weekend():
    # Thu 9 Apr 2026 + 3 working days: Fri 10, (Sat 11, Sun 12, Songkran 13-15), Thu 16, Fri 17.
    assert not is_working_day(date(2026, 4, 14))
    assert add_working_days(date(2026, 4, 9), 3) == date(2026, 4, 17)


def test_working_days_between_counts_only_working_days():
    assert working_days_between(date(2026, 4, 9), date(2026, 4, 17)) == 3
    assert working_days_between(date(2026, 4, 17), date(2026, 4, 9)) == 0


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)
