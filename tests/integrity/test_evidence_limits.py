"""Evidence files go through the same checks as residents' attachments: pixels, PDFs, staging."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import func, select

from app.extensions import db
from integrity.models import IntegrityAttachment
from tests.integrity.test_intake import _form


def _post(client, files):
    attachments = [(io.BytesIO(content), name) for name, content in files]
    return client.post(
        "/integrity/report",
        data=_form(attachments=attachments),
        content_type="multipart/form-data",
    )


def _staged_count() -> int:
    return db.session.scalar(select(func.count()).select_from(IntegrityAttachment)) or 0


def test_evidence_image_with_too_many_pixels_is_refused(client):
    out = io.BytesIO()
    Image.new("1", (9000, 9000), 1).save(out, format="PNG")
    page = _post(client, [("huge.png", out.getvalue())]).get_data(as_text=True)
    assert "ไม่รับไฟล์ huge.png: รูปภาพมีจำนวนพิกเซลมากเกินกำหนด" in page
    assert _staged_count() == 0
