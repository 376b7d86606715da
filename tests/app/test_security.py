"""Headers and error pages that keep residents safe."""

from __future__ import annotations

from flask import Flask

from app.security import SANDBOX_POLICY
from cases.web import send_attachment
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
