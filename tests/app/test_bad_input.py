"""Bad input gives a clear 4xx (or is ignored with a message), never the 500 page.

One table of (role, method, URL, form, status, message): NUL and other control characters in
paths, query strings and forms; ids, cursors, dates and fiscal years beyond what the database
and ``datetime`` hold. Many of these were 500s only on PostgreSQL, so run this file there too.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.routing import ValidationError as NoMatch

from app.input import (
    BoundedIntConverter,
    _multiline_field_names,
    parse_date,
    parse_id,
    parse_int,
    safe_next,
)
from integrity.intake import ReportSubmission, submit_report
from integrity.models import ReportKind
from tests.factories import USER_PASSWORD, make_case, make_user, png_bytes

CONTROL = "อักขระควบคุม"  # the input layer's refusal
CURSOR = "ลิงก์ไปหน้าถัดไปไม่ถูกต้อง"
DATE = "กรุณาระบุวันที่ระหว่าง"
PERIOD = "ช่วงเวลาไม่ถูกต้อง"
NOT_FOUND = "ไม่พบหน้าที่ต้องการ"
BAD_REQUEST = "คำขอไม่ถูกต้อง"
SERVER_ERROR = "ระบบขัดข้อง"
HUGE = "99999999999999999999"


def _photo(name: str) -> dict[str, Any]:
    """A form with one photo attached under ``name``."""
    return {"attachments": (io.BytesIO(png_bytes()), name)}


# (role or None, method, URL ({case_id}, {code} filled in), form, status, message in the page)
ROWS: list[tuple[str | None, str, str, dict[str, Any] | None, int, str]] = [
    # NUL and other control characters, anywhere
    (None, "POST", "/track", {"code": "R70-\x00001", "phone": "0812345678"}, 400, CONTROL),
    (None, "POST", "/track", {"code": "R70-000001\n", "phone": "0812345678"}, 400, CONTROL),
    (None, "GET", "/track/R70-%00001/x", None, 400, CONTROL),
    (None, "GET", "/track/{code}/x%0A", None, 400, CONTROL),
    (None, "GET", "/?q=%01", None, 400, CONTROL),
    (None, "GET", "/?a%00=1", None, 400, CONTROL),
    (None, "POST", "/complaints/new", {"details": "ถนนพัง\x00"}, 400, CONTROL),
    (None, "POST", "/feedback/new", {"subject": "ขอ\x1bไฟทาง"}, 400, CONTROL),
    (None, "POST", "/complaints/new", {"subject": "หลุม\nลึก"}, 400, CONTROL),
    (None, "POST", "/integrity/report", {"details": "เงิน\x00ทอน"}, 400, CONTROL),
    (
        None,
        "POST",
        "/complaints/new",
        _photo("a\x00.png"),
        400,
        CONTROL,
    ),
    (
        None,
        "POST",
        "/integrity/report",
        _photo("\x1b.png"),
        400,
        CONTROL,
    ),
    (None, "POST", "/integrity/follow-up", {"receipt": "1234\x00"}, 400, CONTROL),
    (None, "POST", "/staff/login", {"email": "a\x00@example.com", "password": "x"}, 400, CONTROL),
    (None, "POST", "/staff/login", {"email": "a@example.com", "next": "/staff/\n"}, 400, CONTROL),
    (None, "GET", "/staff/login?next=/%0A/evil.example/", None, 400, CONTROL),
    (None, "POST", "/lang", {"lang": "en", "next": "/\x00"}, 400, CONTROL),
    ("officer", "GET", "/staff/cases?q=%00", None, 400, CONTROL),
    ("officer", "POST", "/staff/cases/{case_id}/note", {"body": "โทร\x00แล้ว"}, 400, CONTROL),
    ("officer", "GET", "/staff/cases/1%00", None, 400, CONTROL),
    ("admin", "GET", "/staff/admin/audit?user=a%00b", None, 400, CONTROL),
    ("admin", "GET", "/staff/admin/audit?target_id=%00", None, 400, CONTROL),
    ("integrity", "GET", "/integrity/staff/?code=I70%00", None, 400, CONTROL),
    (
        "integrity",
        "POST",
        "/integrity/staff/reports/{report_id}/message",
        {"body": "\x00"},
        400,
        "",
    ),
    # queue cursors beyond the database's integers, or garbled
    ("officer", "GET", f"/staff/cases?cursor=n.{HUGE}", None, 400, CURSOR),
    ("supervisor", "GET", "/staff/cases?cursor=p.x", None, 400, CURSOR),
    ("admin", "GET", f"/staff/admin/audit?cursor=n.{HUGE}", None, 400, CURSOR),
    ("integrity", "GET", f"/integrity/staff/?cursor=n.{HUGE}", None, 400, CURSOR),
    # ids in paths, forms and query strings
    ("officer", "GET", f"/staff/cases/{HUGE}", None, 404, NOT_FOUND),
    ("officer", "GET", "/staff/cases/" + "9" * 5000, None, 404, NOT_FOUND),
    ("admin", "GET", "/staff/admin/users/2147483648", None, 404, NOT_FOUND),
    ("integrity", "GET", f"/integrity/staff/reports/{HUGE}", None, 404, NOT_FOUND),
    ("officer", "GET", f"/staff/cases/{{case_id}}?template={HUGE}", None, 200, ""),
    ("officer", "POST", "/staff/cases/{case_id}/note", {"body": "ก", "version": HUGE}, 400, ""),
    ("officer", "POST", "/staff/cases/{case_id}/note", {"body": "ก", "version": "๒"}, 400, ""),
    ("integrity", "POST", "/integrity/staff/reports/{report_id}/note", {"version": HUGE}, 400, ""),
    ("officer", "GET", f"/staff/cases?category_id={HUGE}&department_id={HUGE}", None, 200, ""),
    ("officer", "POST", "/staff/cases/new", {"category_id": HUGE, "subject": "ทดสอบ"}, 200, ""),
    (None, "POST", "/complaints/new", {"category_id": HUGE, "subject": "ทดสอบ"}, 200, ""),
    ("admin", "POST", "/staff/admin/categories", {"department_id": HUGE, "code": "x"}, 200, ""),
    # dates and report periods (ignored with a message beside the field, or refused)
    ("officer", "GET", "/staff/cases?received_from=0001-01-01", None, 200, DATE),
    ("officer", "GET", "/staff/cases?received_to=9999-12-31", None, 200, DATE),
    ("admin", "GET", "/staff/admin/audit?day_from=0001-01-01", None, 200, DATE),
    ("admin", "GET", "/staff/admin/audit?day_to=9999-12-31", None, 200, DATE),
    ("officer", "POST", "/staff/cases/new", {"received_on": "0001-01-01"}, 200, DATE),
    ("integrity", "POST", "/integrity/staff/new", {"received_on": "9999-12-31"}, 200, DATE),
    ("supervisor", "GET", "/reports/summary?fy=545&round=1", None, 200, PERIOD),
    ("executive", "GET", "/reports/summary?fy=2569&round=" + HUGE, None, 200, PERIOD),
    ("executive", "GET", f"/reports/summary?fy={HUGE}", None, 200, PERIOD),
    ("supervisor", "GET", "/reports/summary?start=0001-01-01&end=2026-01-01", None, 200, PERIOD),
    ("executive", "GET", "/reports/summary?start=2026-01-01&end=9999-12-31", None, 200, PERIOD),
    ("supervisor", "GET", "/reports/summary.csv?fy=545&round=1", None, 400, PERIOD),
    ("supervisor", "POST", "/reports/summary/note", {"period": "545-1"}, 400, BAD_REQUEST),
    ("supervisor", "POST", "/reports/summary/note", {"period": "0001-01-01_2026-01-01"}, 400, ""),
]


def _fill_in(url: str) -> str:
    """``url`` with ``{case_id}``, ``{code}`` and ``{report_id}`` of records made for it."""
    if "{case_id}" in url or "{code}" in url:
        case, _ = make_case()
        url = url.format(case_id=case.id, code=case.code)
    if "{report_id}" in url:
        report = submit_report(ReportSubmission(kind=ReportKind.MISCONDUCT, details="รับเงินใต้โต๊ะ"))
        url = url.format(report_id=report.report_id)
    return url


def _client(app, login_as, role: str | None) -> FlaskClient:
    return login_as(role) if role else app.test_client()


@pytest.mark.parametrize(
    ("role", "method", "url", "form", "status", "message"),
    ROWS,
    ids=[f"{r[0] or 'public'}-{r[1]}-{r[2][:60]}" for r in ROWS],
)
def test_bad_input_gives_a_clear_answer_never_the_500_page(
    app, login_as, role, method, url, form, status, message
):
    client = _client(app, login_as, role)
    url = _fill_in(url)
    response = client.open(url, method=method, data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == status, page[:2000]
    assert SERVER_ERROR not in page
    assert message in page
    assert 'lang="th"' in page or response.status_code == 302


def test_the_refusal_is_in_english_when_the_ui_is_english(client):
    client.post("/lang", data={"lang": "en", "next": "/"})
    response = client.get("/track/R70-%00001/x")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'lang="en"' in page
    assert "control character" in page
    assert CONTROL not in page


def test_line_breaks_and_tabs_are_kept_in_multi_line_text(client):
    data = {
        "kind": "complaint",
        "category_id": str(make_case()[0].category_id),
        "subject": "ถนน\tชำรุด",
        "details": "บรรทัดแรก\r\nบรรทัดที่สอง\tมีแท็บ",
        "contact_phone": "0812345678",
        "privacy_acknowledged": "y",
    }
    response = client.post("/complaints/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def test_line_breaks_are_allowed_in_the_textareas_of_every_form(app):
    app.test_client().get("/")  # every blueprint, and so every form, is imported by now
    names = _multiline_field_names()
    assert {
        "details",
        "body",
        "reason",
        "narrative",
        "measure",
        "method",
        "result",
        "success",
    } <= names
    assert not {"subject", "email", "next", "code", "q", "cursor"} & names


def test_a_refused_request_is_refused_before_csrf_and_audit_see_it(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        response = app.test_client().post("/staff/login", data={"email": "\x00"})
        assert response.status_code == 400
        assert CONTROL in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("next_value", "lands_on"),
    [
        ("/staff/cases?tab=all", "/staff/cases?tab=all"),
        ("/\t/evil.example/", "/staff/"),
        ("https://evil.example/", "/staff/"),
        ("/\\evil.example/", "/staff/"),
    ],
)
def test_sign_in_goes_only_to_a_path_on_this_site(client, next_value, lands_on):
    user = make_user()
    data = {"email": user.email, "password": USER_PASSWORD, "next": next_value}
    response = client.post("/staff/login", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == lands_on


@pytest.mark.parametrize(
    ("next_value", "lands_on"),
    [
        ("/complaints/new?x=1", "/complaints/new?x=1"),
        ("/\t/evil.example/", "/"),
        (" //evil.example/", "/"),
        ("/\\evil.example/", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_language_switch_goes_only_to_a_path_on_this_site(client, next_value, lands_on):
    response = client.post("/lang", data={"lang": "en", "next": next_value})
    assert response.status_code == 302
    assert response.headers["Location"] == lands_on


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/staff/cases?tab=all", "/staff/cases?tab=all"),
        ("/", "/"),
        ("/track/R70-000001/abc#top", "/track/R70-000001/abc#top"),
        ("/ staff/", "/staff/"),  # whitespace is dropped, as browsers do
        ("/\t/evil.example/", None),
        ("/\n/evil.example/", None),
        ("/\x00/evil.example/", None),
        (" \r\n//evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("/\\/evil.example/", None),
        ("/staff\\..\\x", None),
        ("/%2F/evil.example/", None),
        ("/%5cevil.example/", None),
        ("https://evil.example/", None),
        ("javascript:alert(1)", None),
        ("evil.example", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_next(value, expected):
    assert safe_next(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (5, 5),
        ("2147483647", 2147483647),
        ("2147483648", None),
        (HUGE, None),
        ("9" * 5000, None),
        ("0", None),
        ("-1", None),
        ("๔๒", None),  # Thai digits: int() takes them, an id never has them
        ("²", None),
        ("1_000", None),
        ("4.2", None),
        (True, None),
        (None, None),
    ],
)
def test_parse_id_takes_only_ids_the_database_can_hold(raw, expected):
    assert parse_id(raw) == expected


def test_parse_int_honours_its_bounds():
    assert parse_int("-5", -10, 10) == -5
    assert parse_int("11", -10, 10) is None
    assert parse_int("2569", 2543, 2743) == 2569


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("2026-11-29", True),
        ("2000-01-01", True),
        ("2200-12-31", True),
        ("1999-12-31", False),
        ("0001-01-01", False),
        ("9999-12-31", False),
        ("2026-02-30", False),
        ("2026-11-29\x00", False),
        ("", False),
    ],
)
def test_parse_date_takes_only_dates_of_this_service(raw, ok):
    assert (parse_date(raw) is not None) is ok


def test_route_ids_stop_at_the_database_integer(app):
    converter = BoundedIntConverter(app.url_map)
    assert converter.to_python("2147483647") == 2147483647
    with pytest.raises(NoMatch):
        converter.to_python("2147483648")
