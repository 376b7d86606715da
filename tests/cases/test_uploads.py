"""Attachments: type from the bytes, size limits, metadata stripping, nothing silently dropped."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from sqlalchemy import select

from app import uploads
from app.extensions import db
from cases.models import Attachment, Case
from tests.complaints.test_web_forms import form_data
from tests.factories import PDF_BYTES, THAI_DETAILS, png_bytes


def post_with_files(client, files, **overrides):
    data = form_data(**overrides)
    data["attachments"] = [(io.BytesIO(content), name) for name, content in files]
    return client.post("/complaints/new", data=data, content_type="multipart/form-data")


def latest_case() -> Case:
    return db.session.scalars(select(Case).order_by(Case.id.desc())).first()


def stored_bytes(app, attachment: Attachment) -> bytes:
    return uploads.file_path(app.config["UPLOAD_DIR"], attachment.stored_name).read_bytes()


def test_png_renamed_exe_is_stored_as_png(client):
    response = post_with_files(client, [("photo.exe", png_bytes())])
    assert response.status_code == 302
    (attachment,) = latest_case().attachments
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "photo.png"


def test_pdf_with_a_wrong_extension_is_stored_as_pdf(client, app):
    response = post_with_files(client, [("scan.jpg", PDF_BYTES)])
    assert response.status_code == 302
    (attachment,) = latest_case().attachments
    assert (attachment.content_type, attachment.original_name) == ("application/pdf", "scan.pdf")
    assert stored_bytes(app, attachment) == PDF_BYTES


def test_executable_named_jpg_is_refused_with_the_reason_and_text_kept(client):
    response = post_with_files(client, [("photo.jpg", b"MZ\x90\x00" + b"\x00" * 200)])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ไม่รับไฟล์ photo.jpg" in page
    assert "รับเฉพาะรูปภาพ (JPG, PNG, WEBP) และ PDF" in page
    assert THAI_DETAILS in page


def test_oversized_file_is_refused_beside_its_field(app_factory):
    app = app_factory(MAX_UPLOAD_MB=1)
    with app.app_context():
        big = png_bytes() + b"\x00" * (1024 * 1024)
        response = post_with_files(app.test_client(), [("big.png", big)])
        # The test client spools a body this big to a temporary file that it never closes.
        response.request.environ["wsgi.input"].close()
        assert response.status_code == 200
        assert "ไม่รับไฟล์ big.png: ไฟล์ใหญ่เกินกำหนด" in response.get_data(as_text=True)


def test_damaged_image_is_refused(client):
    truncated = png_bytes((50, 50))[:60]
    response = post_with_files(client, [("broken.png", truncated)])
    assert "ไฟล์เสียหรือเปิดไม่ได้" in response.get_data(as_text=True)


def test_accepted_files_stay_attached_while_the_resident_fixes_a_field(client):
    first = post_with_files(client, [("road.png", png_bytes())], subject="")
    page = first.get_data(as_text=True)
    assert "✓ road.png" in page
    token = page.split('name="staging_token" type="hidden" value="')[1].split('"')[0]
    second = client.post("/complaints/new", data=form_data(staging_token=token))
    assert second.status_code == 302
    assert [a.original_name for a in latest_case().attachments] == ["road.png"]


def test_a_refused_file_keeps_the_case_on_the_form_and_the_good_file_staged(client):
    response = post_with_files(client, [("ok.png", png_bytes()), ("virus.pdf", b"#!/bin/sh\nrm")])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "✓ ok.png" in page and "ไม่รับไฟล์ virus.pdf" in page


def test_more_than_five_files_are_refused_by_name(client):
    files = [(f"p{i}.png", png_bytes()) for i in range(6)]
    page = post_with_files(client, files).get_data(as_text=True)
    assert "ไม่รับไฟล์ p5.png: แนบได้ไม่เกินจำนวนที่กำหนด" in page


def _has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return 0x8825 in image.getexif()


@pytest.mark.parametrize(("share", "keeps_gps"), [(None, False), ("y", True)])
def test_photo_gps_is_stripped_unless_the_resident_shares_location(client, app, share, keeps_gps):
    photo = png_bytes(exif_gps=True)
    assert _has_gps(photo)
    response = post_with_files(client, [("gps.jpg", photo)], share_location=share)
    assert response.status_code == 302
    (attachment,) = latest_case().attachments
    assert _has_gps(stored_bytes(app, attachment)) is keeps_gps
    assert attachment.metadata_stripped is not keeps_gps


def test_files_are_stored_under_random_names_outside_the_static_folder(client, app):
    post_with_files(client, [("../../etc/passwd.png", png_bytes())])
    (attachment,) = latest_case().attachments
    assert attachment.stored_name.isalnum() and len(attachment.stored_name) == 48
    assert attachment.original_name == "passwd.png"
    path = uploads.file_path(app.config["UPLOAD_DIR"], attachment.stored_name)
    assert app.static_folder not in str(path)
    with pytest.raises(ValueError):
        uploads.file_path(app.config["UPLOAD_DIR"], "../secret")


def _image_bytes(size: tuple[int, int], fmt: str = "PNG", mode: str = "RGB", **save) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, 1 if mode == "1" else (40, 120, 200)).save(out, format=fmt, **save)
    return out.getvalue()


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    """9000x9000 pixels in about 30 KB: one bit per pixel, one colour (81 million pixels)."""
    return _image_bytes((9000, 9000), mode="1")


def test_image_with_too_many_pixels_is_refused_before_decoding(client, huge_png, monkeypatch):
    def no_decoding(*args, **kwargs):
        raise AssertionError("the pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    response = post_with_files(client, [("huge.png", huge_png)])
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ไม่รับไฟล์ huge.png: รูปภาพมีจำนวนพิกเซลมากเกินกำหนด" in page
    assert THAI_DETAILS in page
    assert db.session.scalars(select(Attachment)).first() is None


@pytest.mark.parametrize("size", [(40, 40), (100, 100)])
def test_pillow_decompression_bomb_checks_give_the_same_refusal(app_factory, size):
    # 1,600 pixels make Pillow warn, 10,000 (over twice the limit) make it raise.
    app = app_factory(MAX_IMAGE_PIXELS=1000)
    with app.app_context():
        response = post_with_files(app.test_client(), [("bomb.png", _image_bytes(size))])
        assert "รูปภาพมีจำนวนพิกเซลมากเกินกำหนด" in response.get_data(as_text=True)


def _rotated_photo(size: tuple[int, int], gps: bool) -> bytes:
    """A JPEG stored sideways with EXIF orientation 6 (turn 90° clockwise to view)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    if gps:
        exif[0x8825] = {1: "N", 2: (14.0, 58.0, 30.0), 3: "E", 4: (102.0, 5.0, 10.0)}
    return _image_bytes(size, fmt="JPEG", exif=exif)


@pytest.mark.parametrize(("share", "keeps_gps"), [(None, False), ("y", True)])
def test_large_photo_is_scaled_down_upright_keeping_its_shape(client, app, share, keeps_gps):
    response = post_with_files(
        client, [("wide.jpg", _rotated_photo((4000, 2000), gps=True))], share_location=share
    )
    assert response.status_code == 302
    (attachment,) = latest_case().attachments
    with Image.open(io.BytesIO(stored_bytes(app, attachment))) as stored:
        assert stored.size == (1280, 2560)  # upright: the long side is now the height
        assert stored.getexif().get(0x0112, 1) == 1
        assert (0x8825 in stored.getexif()) is keeps_gps
    assert attachment.metadata_stripped is not keeps_gps


def test_small_photo_keeps_its_size(client, app):
    post_with_files(client, [("small.png", _image_bytes((1200, 900)))])
    (attachment,) = latest_case().attachments
    with Image.open(io.BytesIO(stored_bytes(app, attachment))) as stored:
        assert stored.size == (1200, 900)


def test_max_image_side_is_a_setting(app_factory):
    app = app_factory(MAX_IMAGE_SIDE=300)
    with app.app_context():
        post_with_files(app.test_client(), [("p.webp", _image_bytes((900, 600), fmt="WEBP"))])
        (attachment,) = latest_case().attachments
        with Image.open(io.BytesIO(stored_bytes(app, attachment))) as stored:
            assert (stored.format, stored.size) == ("WEBP", (300, 200))
