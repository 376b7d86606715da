"""Reporting periods: rounds of the Thai fiscal year and free date ranges."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from reports.errors import InvalidPeriod
from reports.periods import Period, PeriodError
from reports.services import period_from_args


def test_rounds_split_the_fiscal_year_at_april():
    assert Period.for_round(2569, 1) == Period(date(2025, 10, 1), date(2026, 3, 31), 2569, 1)
    assert Period.for_round(2569, 2) == Period(date(2026, 4, 1), date(2026, 9, 30), 2569, 2)
    assert Period.containing(date(2026, 11, 24)) == Period.for_round(2570, 1)
    assert Period.containing(date(2026, 9, 30)) == Period.for_round(2569, 2)


def test_previous_round_and_same_round_last_year():
    first = Period.for_round(2569, 1)
    assert first.previous() == Period.for_round(2568, 2)
    assert Period.for_round(2569, 2).previous() == first
    assert first.year_before() == Period.for_round(2568, 1)


def test_date_range_compares_with_the_range_just_before_and_a_year_earlier():
    period = Period(date(2024, 2, 10), date(2024, 2, 29))
    assert period.previous() == Period(date(2024, 1, 21), date(2024, 2, 9))
    assert period.year_before() == Period(date(2023, 2, 10), date(2023, 2, 28))
    assert period.key == "2024-02-10_2024-02-29"
    assert Period.for_round(2569, 2).key == "2569-2"


def test_bounds_are_bangkok_midnights_in_utc():
    start, end = Period.for_round(2569, 1).utc_bounds()
    assert start == datetime(2025, 9, 30, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 3, 31, 17, 0, tzinfo=UTC)


def test_months_of_a_round():
    months = Period.for_round(2569, 1).months()
    assert months[0] == (2025, 10) and months[-1] == (2026, 3) and len(months) == 6


def test_invalid_periods_are_refused():
    with pytest.raises(PeriodError):
        Period(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(PeriodError):
        Period.for_round(2569, 3)


def test_period_from_request_arguments(app):
    today = date(2026, 11, 24)
    # Without any case, the last complete round.
    assert period_from_args({}, today) == Period.for_round(2569, 2)
    assert period_from_args({"fy": "2569", "round": "1"}, today) == Period.for_round(2569, 1)
    assert period_from_args({"start": "2026-01-01", "end": "2026-01-31"}, today) == Period(
        date(2026, 1, 1), date(2026, 1, 31)
    )
    for bad in ({"fy": "x"}, {"fy": "2569", "round": "5"}, {"start": "2026-01-01"}):
        with pytest.raises(InvalidPeriod):
            period_from_args(bad, today)


@pytest.mark.parametrize(
    "bad",
    [
        {"fy": "545", "round": "1"},  # year 2 CE: the previous round would be in year 0
        {"fy": "2542", "round": "2"},
        {"fy": "2744"},
        {"fy": "99999999999999999999"},
        {"fy": "๒๕๖๙"},
        {"fy": "2569", "round": "99999999999999999999"},
        {"start": "0001-01-01", "end": "2026-01-01"},
        {"start": "2026-01-01", "end": "9999-12-31"},
        {"start": "2026-01-01\x00", "end": "2026-01-31"},
    ],
)
def test_periods_beyond_the_years_of_this_service_are_refused(bad):
    with pytest.raises(InvalidPeriod):
        period_from_args(bad, date(2026, 11, 24))


@pytest.mark.parametrize("key", ["545-1", "2569-3", "0001-01-01_2026-01-01", "2569", "x_y"])
def test_saved_note_keys_outside_the_years_of_this_service_are_refused(key):
    with pytest.raises(PeriodError):
        Period.from_key(key)


def test_the_first_accepted_round_still_compares_with_the_one_before():
    first = Period.round_from_text("2543", "1")
    assert first.previous() == Period.for_round(2542, 2)
    assert Period.from_key(first.key) == first


@pytest.mark.parametrize(
    ("start", "end"),
    [("01/01/2569", "31/01/2569"), ("๑/๑/๒๕๖๙", "๓๑/๑/๒๕๖๙"), ("1.1.69", "31-1-69")],
)
def test_a_date_range_is_typed_day_first_in_the_buddhist_era(app, start, end):
    period = period_from_args({"start": start, "end": end}, date(2026, 11, 24))
    assert period == Period(date(2026, 1, 1), date(2026, 1, 31))


@pytest.mark.parametrize(("start", "end"), [("31/02/2569", "01/03/2569"), ("1/1/2569", "soon")])
def test_a_day_that_is_not_one_is_refused(app, start, end):
    with pytest.raises(InvalidPeriod):
        period_from_args({"start": start, "end": end}, date(2026, 11, 24))


def test_the_report_page_shows_its_range_day_first_in_the_buddhist_era(login_as):
    html = (
        login_as("executive")
        .get("/reports/summary", query_string={"start": "01/01/2569", "end": "31/01/2569"})
        .get_data(as_text=True)
    )
    assert 'value="01/01/2569"' in html and 'value="31/01/2569"' in html
    assert 'type="date"' not in html
