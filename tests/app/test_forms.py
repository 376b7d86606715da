"""The intake form base both tracks share: the staging token and the service's field errors."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from app.forms import IntakeForm, ThaiDateField


def _form(app, **posted: str) -> IntakeForm:
    with app.test_request_context(method="POST"):
        return IntakeForm(formdata=MultiDict(posted), meta={"csrf": False})


def test_a_well_formed_staging_token_is_kept_so_accepted_files_stay(app):
    form = _form(app, staging_token="A" * 32)
    assert form.keep_staging_token(lambda: "new-" * 8) == "A" * 32
    assert form.staging_token.data == "A" * 32


@pytest.mark.parametrize(
    "posted", ["", "short", "../../etc/passwd-aaaaaaaaaaaaaaaa", "x" * 65, "a b" * 10]
)
def test_a_missing_or_forged_staging_token_is_replaced(app, posted):
    form = _form(app, staging_token=posted)
    assert form.keep_staging_token(lambda: "N" * 32) == "N" * 32
    assert form.staging_token.data == "N" * 32  # carried to the next try


def test_service_errors_go_beside_their_fields_and_unknown_names_are_ignored(app):
    form = _form(app, website="")
    form.show_errors({"website": "ผิด", "no_such_field": "ไม่มีช่องนี้"})
    assert form.website.errors == ["ผิด"]
    assert not hasattr(form, "no_such_field")


class _DayForm(IntakeForm):
    day = ThaiDateField("day")


def _day_form(app, typed: str) -> tuple[object, bool, str]:
    with app.test_request_context(method="POST"):
        form = _DayForm(formdata=MultiDict({"day": typed}), meta={"csrf": False})
        form.validate()
        return form.day.data, bool(form.day.errors), form.day()


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("27/11/2569", "2026-11-27"),
        ("๒๗/๑๑/๒๕๖๙", "2026-11-27"),  # Thai digits
        ("1/2/69", "2026-02-01"),  # two-digit Buddhist year, no leading zeros
        ("27-11-2569", "2026-11-27"),
        ("27.11.2026", "2026-11-27"),  # a Christian year is understood too
        ("2026-11-27", "2026-11-27"),  # links made before keep working
        ("", None),
    ],
)
def test_staff_dates_are_typed_day_first_in_the_buddhist_era(app, typed, expected):
    day, has_error, _html = _day_form(app, typed)
    assert (day.isoformat() if day else None) == expected and not has_error


@pytest.mark.parametrize("typed", ["31/02/2569", "11/27/2569", "พรุ่งนี้", "27/11", "01/01/2300"])
def test_a_day_that_is_not_one_gets_a_message_and_keeps_what_was_typed(app, typed):
    day, has_error, html = _day_form(app, typed)
    assert day is None and has_error
    assert f'value="{typed}"' in html


def test_a_day_is_shown_back_day_first_in_the_buddhist_era_in_a_text_box(app):
    from datetime import date

    with app.test_request_context():
        form = _DayForm(formdata=None, data={"day": date(2026, 11, 27)}, meta={"csrf": False})
        html = form.day()
    assert 'value="27/11/2569"' in html and 'type="text"' in html
    assert 'inputmode="numeric"' in html and 'placeholder="วว/ดด/ปปปป"' in html
