"""Evidence files go through the same checks as residents' attachments: pixels, PDFs, staging."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from integrity.models import IntegrityAttachment
from tests.cases.test_pdf_uploads import JS_ACTION
from tests.factories import NO_PAGES, pdf_file, png_bytes
from tests.integrity.test_intake import _form


def _post(client, files):
    attachments = [(io.BytesIO(content), name) for name, content in files]
    return client.post(
        "/integrity/report",
        data=_form(attachments=attachments),
        content_type="multipart/form-data",
    )


def _evidence_count() -> int:
    return db.session.scalar(select(func.count()).select_from(IntegrityAttachment)) or 0


def test_evidence_image_with_too_many_pixels_is_refused(client):
    out = io.BytesIO()
    Image.new("1", (9000, 9000), 1).save(out, format="PNG")
    page = _post(client, [("huge.png", out.getvalue())]).get_data(as_text=True)
    assert "ไม่รับไฟล์ huge.png: รูปภาพมีจำนวนพิกเซลมากเกินกำหนด" in page
    assert _evidence_count() == 0


def test_evidence_pdf_with_a_script_is_refused(client):
    data = pdf_file(b"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>", NO_PAGES, JS_ACTION)
    page = _post(client, [("สัญญา.pdf", data)]).get_data(as_text=True)
    assert "ไฟล์ PDF นี้มีสคริปต์หรือคำสั่งที่ทำงานอัตโนมัติ จึงรับไม่ได้" in page
    assert _evidence_count() == 0


def test_reports_sent_back_are_held_to_the_client_staging_limit(app_factory):
    app = app_factory(STAGING_MAX_FILES_PER_CLIENT=2)
    with app.app_context():
        client = app.test_client()
        files = [(f"e{i}.png", png_bytes()) for i in range(3)]
        attachments = [(io.BytesIO(content), name) for name, content in files]
        page = client.post(
            "/integrity/report",
            data=_form(details="", attachments=attachments),
            content_type="multipart/form-data",
        ).get_data(as_text=True)
        assert "✓ e1.png" in page
        assert "ไม่รับไฟล์ e2.png: แนบไฟล์ค้างไว้โดยยังไม่ได้ส่งเรื่องมากเกินกำหนด" in page
        assert _evidence_count() == 2


def test_evidence_of_a_sent_report_does_not_count_towards_the_limit(app_factory):
    app = app_factory(STAGING_MAX_FILES_PER_CLIENT=2)
    with app.app_context():
        client = app.test_client()
        for _ in range(3):
            page = _post(client, [("a.png", png_bytes()), ("b.png", png_bytes())])
            assert "ไม่รับไฟล์" not in page.get_data(as_text=True)
        assert _evidence_count() == 6
