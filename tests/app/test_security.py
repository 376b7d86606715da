"""Headers and error pages that keep residents safe."""

from __future__ import annotations

import pytest
from flask import Flask

from app.security import SANDBOX_POLICY
from cases.downloads import send_attachment
from tests.factories import make_case


def test_every_page_has_a_strict_content_security_policy(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_load_nothing_from_other_sites(client):
    for path in ("/", "/complaints/new", "/feedback/new", "/track"):
        page = client.get(path).get_data(as_text=True)
        assert "http://" not in page.replace("http://localhost", "")
        assert "https://" not in page


def test_form_page_weighs_well_under_150_kb(client):
    total = 0
    for path in ("/complaints/new", "/static/css/site.css", "/static/js/case-form.js"):
        with client.get(path) as response:
            total += len(response.data)
    assert total < 150 * 1024


def test_unknown_page_gets_a_thai_error_page_without_a_traceback(client):
    response = client.get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in page and "Traceback" not in page


def test_unexpected_error_gets_a_thai_500_page(app: Flask):
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "ระบบขัดข้อง" in page and "secret internals" not in page


def test_attachments_are_served_only_as_sandboxed_downloads(app: Flask):
    case, _ = make_case(with_attachment=True)
    with app.test_request_context():
        response = send_attachment(case.attachments[0])
        response.direct_passthrough = False
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["Content-Security-Policy"] == SANDBOX_POLICY
        assert response.headers["Cache-Control"] == "private, no-store"
        response.close()


def test_production_tells_browsers_to_use_https_only(app_factory):
    app = app_factory(ENV="production")
    with app.app_context():
        response = app.test_client().get("/")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_development_over_plain_http_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


# Every staff page and download, and the resident's status page: (role, URL). The PDF export
# takes the same /reports rule as the CSV and XLSX (left out: it needs HarfBuzz-Subset here).
PRIVATE_PAGES = [
    (None, "/staff/login"),
    ("officer", "/staff/"),
    ("officer", "/staff/cases"),
    ("officer", "/staff/cases/{case}"),
    ("officer", "/staff/cases/{case}/attachments/{attachment}"),
    ("officer", "/staff/cases/new"),
    ("officer", "/staff/notifications/me"),
    ("executive", "/reports/summary"),
    ("executive", "/reports/summary.csv"),
    ("executive", "/reports/summary.xlsx"),
    ("admin", "/staff/admin/users"),
    ("admin", "/staff/admin/audit"),
    ("admin", "/staff/admin/categories"),
    ("admin", "/staff/admin/departments"),
    ("admin", "/staff/admin/notifications/"),
    ("integrity", "/integrity/staff/"),
    ("integrity", "/integrity/staff/reports/{report}"),
    (None, "{status_link}"),
]


@pytest.mark.parametrize(("role", "url"), PRIVATE_PAGES)
def test_staff_pages_and_downloads_are_never_cached(app, login_as, role, url):
    from tests.integrity.conftest import make_report

    case, submitted = make_case(with_attachment=True)
    report, _ = make_report()
    client = login_as(role) if role else app.test_client()
    target = url.format(
        case=case.id,
        attachment=case.attachments[0].id,
        report=report.id,
        status_link=f"/track/{submitted.code}/{submitted.token}",
    )
    # The status link is traded for a cookie and a token-free page: both are private.
    with client.get(target, follow_redirects=True) as response:
        assert response.status_code == 200
        assert all("no-store" in r.headers["Cache-Control"] for r in [*response.history, response])


def test_public_pages_may_be_cached(client):
    assert "Cache-Control" not in client.get("/statistics").headers
