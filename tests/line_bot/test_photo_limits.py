"""Photos sent in a LINE chat pass the same checker as the web forms' files."""

from __future__ import annotations

import io

from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.uploads import file_path
from cases.models import Attachment
from tests.line_bot.test_conversation import _file_until_photos


def _png(size: tuple[int, int], mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 1 if mode == "1" else (10, 90, 160)).save(out, format="PNG")
    return out.getvalue()


def test_photo_with_too_many_pixels_gets_the_reason_and_nothing_is_staged(resident, line_api):
    _file_until_photos(resident)
    line_api.add_content("533010", _png((9000, 9000), mode="1"), "image/png")
    answer = resident.send("image", id="533010")[0]
    assert "รูปภาพมีจำนวนพิกเซลมากเกินกำหนด" in answer
    assert db.session.scalars(select(Attachment)).all() == []


def test_large_photo_from_line_is_scaled_down(line_app, resident, line_api):
    _file_until_photos(resident)
    line_api.add_content("533011", _png((3000, 1500)), "image/png")
    assert "รูปที่ 1" in resident.send("image", id="533011")[0]
    (attachment,) = db.session.scalars(select(Attachment)).all()
    stored = file_path(line_app.config["UPLOAD_DIR"], attachment.stored_name).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (2560, 1280)
