"""Isolation between organizations, tested by guessing: body A's staff and residents asking for
body B's objects get the same 404 as for an object that does not exist.

Body A is the installation's first organization (host ``a.example``), body B a second one
(host ``b.example``), each with its own staff, cases, integrity reports and reference data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app.extensions import db
from app.models import Department
from app.organizations.models import Organization
from app.organizations.scope import organization_scope, platform_scope
from app.organizations.services import (
    create_organization,
    resolve_area,
    update_organization,
)
from app.outbox import Notification
from cases.models import Case, Category
from cases.publication import PublicPhoto
from cases.status_access import status_url
from review.models import ReplyTemplate
from review.publication import PublicWording, publish
from tests.factories import make_case, make_user, sign_in
from tests.integrity.conftest import make_report

MISSING = 987654


@dataclass
class BodyB:
    """The ids of body B's objects that body A must not reach."""

    case_id: int
    case_code: str
    status_path: str
    attachment_id: int
    category_id: int
    department_id: int
    template_id: int
    user_id: int
    notification_id: int
    report_id: int
    evidence_id: int


class HostClient(FlaskClient):
    """A test client whose requests go to one host name (one organization's)."""

    host = "localhost"

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], str):
            kwargs.setdefault("base_url", f"http://{self.host}")
        return super().open(*args, **kwargs)


def _client(app: Flask, host: str) -> FlaskClient:
    client = HostClient(app, app.response_class, use_cookies=True)
    client.host = host
    return client


@pytest.fixture
def body_b(app: Flask) -> BodyB:
    """Body A gets host a.example; body B (b.example) gets its own data."""
    first = db.session.scalar(select(Organization).order_by(Organization.id))
    assert first is not None
    update_organization(db.session, first, hosts=("a.example",))
    b = create_organization(
        db.session,
        "body-b",
        name_th="อบต.บี",
        area=resolve_area(None, None, ("300116",)),
        hosts=("b.example",),
    )
    with organization_scope(b.id):
        case, result = make_case(with_attachment=True, contact_email="b@example.com")
        report, _ = make_report(with_evidence=True)
        template = db.session.scalars(select(ReplyTemplate)).first()
        user = make_user(roles=("officer",))
        notification = db.session.scalars(select(Notification)).first()
        assert template is not None and notification is not None
        ids = BodyB(
            case_id=case.id,
            case_code=case.code,
            status_path=f"track/{result.code}/{result.token}",
            attachment_id=case.attachments[0].id,
            category_id=case.category_id,
            department_id=case.department_id,
            template_id=template.id,
            user_id=user.id,
            notification_id=notification.id,
            report_id=report.id,
            evidence_id=report.attachments[0].id,
        )
    # Each request has a new session in production; here one session serves the whole test, so
    # forget B's objects as a new request would (identity-map hits skip the query's scope).
    db.session.expunge_all()
    return ids


def _staff_of_a(app: Flask, roles: tuple[str, ...]) -> FlaskClient:
    client = _client(app, "a.example")
    user = make_user(roles=roles, departments=("works",))
    sign_in(client, user)
    return client


GENERAL_ROLES = ("admin", "supervisor", "officer")

# (roles, method, URL template): every staff URL that names an object of an organization
STAFF_URLS: list[tuple[tuple[str, ...], str, str]] = [
    (GENERAL_ROLES, "GET", "/staff/cases/{case_id}"),
    (GENERAL_ROLES, "POST", "/staff/cases/{case_id}/status"),
    (GENERAL_ROLES, "POST", "/staff/cases/{case_id}/reply"),
    (GENERAL_ROLES, "POST", "/staff/cases/{case_id}/note"),
    (GENERAL_ROLES, "POST", "/staff/cases/{case_id}/assign"),
    (GENERAL_ROLES, "POST", "/staff/cases/{case_id}/merge"),
    (GENERAL_ROLES, "POST", "/staff/cases/{case_id}/publication"),
    (GENERAL_ROLES, "POST", "/staff/cases/{case_id}/publication/hide"),
    (GENERAL_ROLES, "POST", "/staff/cases/{case_id}/forward-body"),
    (GENERAL_ROLES, "GET", "/staff/cases/{case_id}/attachments/{attachment_id}"),
    (GENERAL_ROLES, "GET", "/staff/cases/{case_id}/receipt"),
    (GENERAL_ROLES, "GET", "/staff/admin/users/{user_id}"),
    (GENERAL_ROLES, "GET", "/staff/admin/categories/{category_id}"),
    (GENERAL_ROLES, "GET", "/staff/admin/departments/{department_id}"),
    (GENERAL_ROLES, "GET", "/staff/admin/reply-templates/{template_id}"),
    (GENERAL_ROLES, "POST", "/staff/admin/notifications/{notification_id}/retry"),
    (("integrity",), "GET", "/integrity/staff/reports/{report_id}"),
    (("integrity",), "POST", "/integrity/staff/reports/{report_id}/status"),
    (("integrity",), "POST", "/integrity/staff/reports/{report_id}/message"),
    (("integrity",), "POST", "/integrity/staff/reports/{report_id}/note"),
    (("integrity",), "GET", "/integrity/staff/reports/{report_id}/evidence/{evidence_id}"),
]


def _ids(b: BodyB, missing: bool) -> dict[str, Any]:
    values = dict(vars(b))
    if missing:
        values = {k: MISSING if isinstance(v, int) else v for k, v in values.items()}
    return values


@pytest.mark.parametrize(("roles", "method", "url"), STAFF_URLS, ids=[u for _, m, u in STAFF_URLS])
def test_staff_of_one_body_get_404_for_another_bodys_object(app, body_b, roles, method, url):
    client = _staff_of_a(app, roles)
    theirs = client.open(url.format(**_ids(body_b, missing=False)), method=method)
    missing = client.open(url.format(**_ids(body_b, missing=True)), method=method)
    assert theirs.status_code == missing.status_code
    assert missing.status_code == (302 if url.endswith("/retry") else 404)


def test_body_bs_own_staff_reach_the_same_urls(app, body_b):
    """The control: the objects exist and their own body's staff open them."""
    b = db.session.scalar(select(Organization).where(Organization.slug == "body-b"))
    assert b is not None
    with organization_scope(b.id):
        user = make_user(roles=GENERAL_ROLES, departments=("works",))
    client = _client(app, "b.example")
    sign_in(client, user)
    assert client.get(f"/staff/cases/{body_b.case_id}").status_code == 200
    assert client.get(f"/staff/admin/categories/{body_b.category_id}").status_code == 200


def test_status_links_name_their_body_and_open_only_in_it(app, body_b):
    with platform_scope():
        case = db.session.get(Case, body_b.case_id)
        assert case is not None
    with organization_scope(case.organization_id):
        assert status_url(case) == f"http://b.example/{body_b.status_path}"
    path = "/" + body_b.status_path
    assert _client(app, "a.example").get(path).status_code == 404
    wrong_token = path.rsplit("/", 1)[0] + "/" + "x" * 22
    assert _client(app, "a.example").get(wrong_token).status_code == 404
    assert _client(app, "b.example").get(path).status_code == 303


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/track/{case_code}"),
        ("POST", "/track/{case_code}/rate"),
        ("POST", "/track/{case_code}/reopen"),
    ],
)
def test_residents_pages_of_another_bodys_case_are_not_found(app, body_b, method, url):
    b_client = _client(app, "b.example")
    b_client.get("/" + body_b.status_path)  # the cookie that opens B's case, on B's pages
    a_client = _client(app, "a.example")
    for cookie in b_client._cookies.values():  # the same cookie sent to A
        a_client.set_cookie(cookie.key, cookie.value, domain="a.example", path=cookie.path)
    assert a_client.open(url.format(case_code=body_b.case_code), method=method).status_code in (
        403,
        404,
    )


def test_a_bodys_published_case_and_photos_are_public_only_on_its_own_pages(app, body_b):
    with organization_scope(_body_b_id()):
        case = db.session.get(Case, body_b.case_id)
        assert case is not None
        case.publication_allowed = True
        wording = PublicWording(title="ไฟกิ่งดับซอยบีบี", photos={body_b.attachment_id: []})
        publish(make_user(roles=("supervisor",)), case, wording, case.version)
        photo_id = db.session.scalars(select(PublicPhoto.id)).one()
    db.session.expunge_all()
    a_client, b_client = _client(app, "a.example"), _client(app, "b.example")
    for path in (f"/public/cases/{body_b.case_code}", f"/public/photos/{photo_id}"):
        with a_client.get(path) as theirs, b_client.get(path) as own:
            assert (theirs.status_code, own.status_code) == (404, 200)
    assert "ไฟกิ่งดับซอยบีบี" not in a_client.get("/public/map").get_data(as_text=True)
    assert "ไฟกิ่งดับซอยบีบี" in b_client.get("/public/cases").get_data(as_text=True)


def test_queue_and_exports_of_one_body_show_none_of_anothers_cases(app, body_b):
    client = _staff_of_a(app, ("supervisor", "executive"))
    queue = client.get("/staff/cases").get_data(as_text=True)
    assert body_b.case_code not in queue
    with platform_scope():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0  # A's scope: none


def test_path_prefix_serves_each_body_under_its_slug(app, body_b):
    client = app.test_client()
    assert client.get("/o/body-b/").status_code == 200
    assert "อบต.บี" in client.get("/o/body-b/").get_data(as_text=True)
    assert client.get("/o/body-b/" + body_b.status_path).status_code == 303
    assert client.get("/o/default/" + body_b.status_path).status_code == 404
    assert client.get("/o/nobody/").status_code == 404


def test_with_several_bodies_the_bare_site_is_the_platform(app, body_b):
    client = app.test_client()
    home = client.get("/", query_string={"q": "จอหอ"})
    assert home.status_code == 200
    page = home.get_data(as_text=True)
    assert "ตำบลจอหอ" in page and "อบต.บี" in page
    assert client.get("/complaints/new").status_code == 404


def test_a_new_body_starts_with_its_own_categories_and_departments(app, body_b):
    with platform_scope():
        by_body = dict(
            db.session.execute(
                select(Category.organization_id, func.count()).group_by(Category.organization_id)
            ).all()
        )
        departments = db.session.scalar(select(func.count()).select_from(Department))
    assert len(by_body) == 2 and len(set(by_body.values())) == 1
    assert departments == 10


# Exports, report downloads and the public statistics: each body's figures and words only.
A_CASES, B_CASES, B_REPORTS = 3, 7, 5  # distinct, and at or above the public threshold (3)
B_INTEGRITY_TOTAL = B_REPORTS + 1  # and body_b's own report, this fiscal year
A_WORDS, B_WORDS = "ทางเท้าแตกหน้าวัดเอ", "ไฟกิ่งดับซอยบีบี"
ROUND_1 = {"fy": "2569", "round": "1"}  # 1 Oct 2025 - 31 Mar 2026


def _body_b_id() -> int:
    b = db.session.scalar(select(Organization).where(Organization.slug == "body-b"))
    assert b is not None
    return b.id


@pytest.fixture
def figures(app: Flask, body_b: BodyB) -> None:
    """Round 1 of 2569: body A has 3 road cases; body B 7 water cases and 6 integrity reports."""
    from tests.reports.conftest import add_case, bkk

    for _ in range(A_CASES):
        add_case(bkk(2025, 11, 10, 9, 0), subject=A_WORDS, details=A_WORDS)
    with organization_scope(_body_b_id()):
        for _ in range(B_CASES):
            add_case(bkk(2025, 11, 12, 9, 0), "water", subject=B_WORDS, details=B_WORDS)
        for _ in range(B_REPORTS):
            make_report(received_at=bkk(2025, 11, 13, 9, 0))
    db.session.expunge_all()


def _staff_of(app: Flask, host: str, roles: tuple[str, ...]) -> FlaskClient:
    client = _client(app, host)
    if host == "b.example":
        with organization_scope(_body_b_id()):
            user = make_user(roles=roles, departments=("works",))
    else:
        user = make_user(roles=roles, departments=("works",))
    sign_in(client, user)
    return client


def _summary_text(client: FlaskClient, fmt: str, query: dict[str, str]) -> str:
    """The summary download of ``fmt`` as text (PDF and XLSX: the text they hold)."""
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    response = client.get(f"/reports/summary.{fmt}", query_string=query)
    assert response.status_code == 200
    if fmt == "pdf":
        reader = PdfReader(io.BytesIO(response.data))
        # Thai digits and SARA AM read back as in tests/reports/test_summary_pages.py
        text = "\n".join(page.extract_text() for page in reader.pages)
        return text.translate(str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")).replace("า", "ำ")
    if fmt == "xlsx":
        workbook = load_workbook(io.BytesIO(response.data))
        return "\n".join(
            ",".join("" if v is None else str(v) for v in row)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return response.get_data(as_text=True)


def _received_in_round(text: str) -> str:
    """The summary's "received this round" figure (the XLSX and CSV overview row)."""
    for line in text.splitlines():
        if line.startswith("เรื่องที่ได้รับในรอบนี้,"):
            return line.split(",")[1]
    raise AssertionError("no received figure")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_summary_downloads_hold_only_their_own_bodys_figures(app, figures, fmt):
    a_text = _summary_text(_staff_of(app, "a.example", ("executive",)), fmt, ROUND_1)
    b_text = _summary_text(_staff_of(app, "b.example", ("executive",)), fmt, ROUND_1)
    # PDF text loses SARA AM (see _summary_text): compare the words as extracted.
    a_words, b_words = (w.replace("า", "ำ") for w in (A_WORDS, B_WORDS))
    if fmt != "pdf":
        assert _received_in_round(a_text) == str(A_CASES)
        assert _received_in_round(b_text) == str(B_CASES)
    assert f"ทั้งสิ้น {A_CASES} เรื่อง" in a_text.replace("\n", " ")
    assert f"ทั้งสิ้น {B_CASES} เรื่อง" in b_text.replace("\n", " ")
    assert "อบต.บี" in b_text and "อบต.บี" not in a_text
    assert b_words not in a_text and a_words not in b_text
    assert "น้ำประปา จำนวน" not in a_text.replace("\n", " ")


def test_integrity_officers_summary_counts_only_their_bodys_reports(app, figures):
    a_text = _summary_text(_staff_of(app, "a.example", ("integrity",)), "csv", ROUND_1)
    b_text = _summary_text(_staff_of(app, "b.example", ("integrity",)), "csv", ROUND_1)
    assert "รอบนี้ไม่มีเรื่องร้องเรียนการทุจริต" in a_text
    assert "รอบนี้ไม่มีเรื่องร้องเรียนการทุจริต" not in b_text
    assert f"{B_REPORTS} เรื่อง" in b_text


def _statistics_rows(client: FlaskClient) -> list[list[str]]:
    import csv
    import io

    response = client.get("/statistics.csv")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_public_statistics_csv_counts_only_its_own_body(app, figures):
    a_rows = _statistics_rows(_client(app, "a.example"))
    b_rows = _statistics_rows(_client(app, "b.example"))
    assert ["น้ำประปา", "0", "0", "0"] in a_rows and ["น้ำประปา", str(B_CASES), "0", "7"] in b_rows
    assert ["ถนน สะพาน ทางเท้า", str(A_CASES), "0", "3"] in a_rows
    # The integrity table's last row: every year's reports (the years' own cells are small
    # enough to be hidden on B's side).
    assert a_rows[-1] == ["รวม", "0", "0", "0"]
    total = str(B_INTEGRITY_TOTAL)
    assert b_rows[-1] == ["รวม", total, "0", total]


def _cells(page: str) -> list[str]:
    """The text of a page's table cells, in order."""
    import re

    return [
        re.sub(r"\s+", " ", cell).strip()
        for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", page, re.S)
    ]


@pytest.mark.parametrize(
    ("url", "b_count"),
    [("/statistics/complaints", B_CASES), ("/statistics/integrity", B_INTEGRITY_TOTAL)],
)
def test_ita_statistics_pages_count_only_their_own_body(app, figures, url, b_count):
    a_page = _client(app, "a.example").get(url).get_data(as_text=True)
    b_page = _client(app, "b.example").get(url).get_data(as_text=True)
    assert str(b_count) in _cells(b_page)
    assert str(b_count) not in _cells(a_page)
    assert "อบต.บี" in b_page and "อบต.บี" not in a_page


def test_residents_files_and_receipts_of_another_body_are_not_found(app, body_b):
    b_client = _client(app, "b.example")
    b_client.get("/" + body_b.status_path)
    photo = f"/track/{body_b.case_code}/photos/{body_b.attachment_id}"
    with b_client.get(photo) as response:  # the control: B's resident opens it
        assert response.status_code == 200
    a_client = _client(app, "a.example")
    for cookie in b_client._cookies.values():
        a_client.set_cookie(cookie.key, cookie.value, domain="a.example", path=cookie.path)
    assert a_client.get(photo).status_code == 404
    missing = f"/track/{body_b.case_code}/photos/{MISSING}"
    assert a_client.get(missing).status_code == 404


def test_integrity_receipt_of_another_body_opens_nothing(app, body_b):
    with organization_scope(_body_b_id()):
        _, result = make_report(with_evidence=True)
    db.session.expunge_all()
    receipt = {"receipt": result.receipt.grouped}
    b_client = _client(app, "b.example")
    assert b_client.post("/integrity/follow-up", data=receipt).status_code == 302
    assert b_client.get("/integrity/follow-up/proof").status_code == 200
    a_client = _client(app, "a.example")
    refused = a_client.post("/integrity/follow-up", data=receipt)
    assert refused.status_code == 200 and "รหัสติดตามไม่ถูกต้อง" in refused.get_data(as_text=True)
    for cookie in b_client._cookies.values():  # B's reporter session sent to A's pages
        a_client.set_cookie(cookie.key, cookie.value, domain="a.example", path=cookie.path)
    for url in ("/integrity/follow-up/proof", "/integrity/follow-up/report"):
        response = a_client.get(url)
        assert response.status_code == 302 and response.headers["Location"].endswith(
            "/integrity/follow-up"
        )
