"""Moderation: publishing a case with public wording and redacted photos, editing, hiding."""

from __future__ import annotations

import io
import json

from flask import current_app
from PIL import Image
from sqlalchemy import select

from app import uploads
from app.audit import AuditEntry
from app.extensions import db
from cases.models import CaseEvent, EventType
from cases.publication import Publication, PublicPhoto
from cases.services import new_staging_token, stage_attachment
from tests.factories import make_case, png_bytes

PUBLIC_TITLE = "ถนนชำรุดเป็นหลุม หน้าวัด หมู่ 3"


def _photo_case(**overrides):
    """A case allowed to be published, with one 200x100 photo whose GPS EXIF was kept."""
    token = new_staging_token()
    stage_attachment(token, "photo.jpg", png_bytes((200, 100), exif_gps=True), keep_metadata=True)
    overrides.setdefault("publication_allowed", True)
    case, _ = make_case(staging_token=token, contact_name="สมชาย ใจดี", **overrides)
    return case


def _publish(client, case, boxes="[]", **fields):
    data = {
        "version": case.version,
        "title": PUBLIC_TITLE,
        "description": "ช่างจะซ่อมภายในสัปดาห์นี้",
        "place": "หน้าวัด หมู่ 3",
        "show_position": "y",
        **fields,
    }
    if boxes is not None:
        photo_id = case.attachments[0].id
        data.update({"photo": str(photo_id), f"boxes-{photo_id}": boxes})
    return client.post(f"/staff/cases/{case.id}/publication", data=data)


def _stored(name: str) -> bytes:
    return uploads.file_path(current_app.config["UPLOAD_DIR"], name).read_bytes()


def test_an_officer_publishes_with_a_public_title_and_a_blacked_out_region(login_as):
    officer = login_as("officer")
    case = _photo_case()
    original = _stored(case.attachments[0].stored_name)
    page = officer.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert 'id="publication-form"' in page and "js/redact.js" in page

    response = _publish(officer, case, boxes=json.dumps([[0.0, 0.0, 0.5, 1.0]]))

    assert response.status_code == 302
    publication = db.session.scalars(select(Publication)).one()
    assert (publication.title, publication.visible) == (PUBLIC_TITLE, True)
    assert case.subject != PUBLIC_TITLE  # the resident's words stay as sent
    photo = publication.photos[0]
    public = Image.open(io.BytesIO(_stored(photo.stored_name)))
    assert public.format == "JPEG" and not public.getexif()
    assert max(public.getpixel((20, 50))) < 16  # inside the box: black
    assert public.getpixel((180, 50))[0] > 150  # outside: the photo's red
    assert _stored(case.attachments[0].stored_name) == original  # the original is untouched
    assert Image.open(io.BytesIO(_stored(photo.thumb_name))).size[0] <= 320
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()[-1]
    assert (event.type, event.is_public, event.body) == (EventType.PUBLISHED, False, PUBLIC_TITLE)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "case_published" and entry.detail["boxes"] == 1


def test_a_case_the_resident_did_not_allow_cannot_be_published(login_as):
    officer = login_as("officer")
    case = _photo_case(publication_allowed=False)
    page = officer.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert 'id="publication-refused"' in page and 'id="publication-form"' not in page

    response = _publish(officer, case)

    assert response.status_code == 422
    assert "ผู้ร้องไม่ได้ยินยอมให้เผยแพร่เรื่องนี้" in response.get_data(as_text=True)
    assert db.session.scalars(select(Publication)).all() == []
    assert db.session.scalars(select(PublicPhoto)).all() == []


def test_garbled_boxes_or_a_missing_title_are_refused_with_the_text_kept(login_as):
    officer = login_as("officer")
    case = _photo_case()
    response = _publish(officer, case, boxes="[[1, 2]]")
    assert response.status_code == 422 and "กรอบปิดบังภาพไม่ถูกต้อง" in response.get_data(as_text=True)
    response = _publish(officer, case, title="  ", description="คำอธิบายที่พิมพ์ไว้")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "กรุณาตั้งหัวข้อสำหรับเผยแพร่" in html
    assert "คำอธิบายที่พิมพ์ไว้" in html
    assert db.session.scalars(select(Publication)).all() == []


def test_an_edit_replaces_the_public_copies_and_hiding_takes_the_case_down(login_as, client):
    officer = login_as("officer")
    case = _photo_case()
    _publish(officer, case)
    first = db.session.scalars(select(PublicPhoto)).one()
    first_name, photo_id = first.stored_name, first.id
    with client.get(f"/public/photos/{photo_id}") as shown:
        assert shown.status_code == 200

    _publish(officer, case, boxes=None, title="ถนนชำรุด (แก้ไข)")
    publication = db.session.scalars(select(Publication)).one()
    assert publication.title == "ถนนชำรุด (แก้ไข)" and publication.photos == []
    assert not uploads.file_path(current_app.config["UPLOAD_DIR"], first_name).exists()

    response = officer.post(
        f"/staff/cases/{case.id}/publication/hide", data={"version": case.version}
    )
    assert response.status_code == 302
    assert client.get(f"/public/cases/{case.code}").status_code == 404
    types = db.session.scalars(
        select(CaseEvent.type).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
    ).all()
    assert types[-3:] == [
        EventType.PUBLISHED,
        EventType.PUBLICATION_EDITED,
        EventType.UNPUBLISHED,
    ]
    actions = db.session.scalars(select(AuditEntry.action)).all()
    assert {"case_published", "case_publication_edited", "case_unpublished"} <= set(actions)
    # Publishing again shows it again, from the last wording.
    _publish(officer, case, boxes=None, title="ถนนชำรุด (แก้ไข)")
    assert client.get(f"/public/cases/{case.code}").status_code == 200


def test_an_officer_of_another_department_cannot_publish(login_as):
    outsider = login_as("officer", departments=("finance",))
    case = _photo_case()
    assert _publish(outsider, case).status_code in (403, 404)
    assert db.session.scalars(select(Publication)).all() == []


def test_the_public_page_shows_the_chosen_after_photos_beside_the_residents_and_offers_follow(
    login_as, client
):
    officer = login_as("officer")
    case = _photo_case()
    for action in ("accept", "start"):
        db.session.refresh(case)
        officer.post(
            f"/staff/cases/{case.id}/status", data={"action": action, "version": case.version}
        )
    db.session.refresh(case)
    resolved = officer.post(
        f"/staff/cases/{case.id}/status",
        data={
            "action": "resolve",
            "version": case.version,
            "reason": "ซ่อมเสร็จแล้ว",
            "after_photos": [(io.BytesIO(png_bytes((40, 30))), "fixed.png")],
        },
        content_type="multipart/form-data",
    )
    assert resolved.status_code == 302
    db.session.refresh(case)
    before, after = sorted(case.attachments, key=lambda a: a.purpose != "resident")
    assert (before.purpose, after.purpose) == ("resident", "after")
    data = {
        "version": case.version,
        "title": PUBLIC_TITLE,
        "description": "",
        "place": "หน้าวัด หมู่ 3",
        "photo": [str(before.id), str(after.id)],
        f"boxes-{before.id}": "[]",
        f"boxes-{after.id}": "[]",
    }
    assert officer.post(f"/staff/cases/{case.id}/publication", data=data).status_code == 302

    page = client.get(f"/public/cases/{case.code}").get_data(as_text=True)

    photos = {p.attachment_id: p.id for p in db.session.scalars(select(PublicPhoto))}
    section = page.split('id="before-after"')[1].split("</section>")[0]
    before_part, after_part = section.split('class="after"')
    assert f"/public/photos/{photos[before.id]}" in before_part
    assert f"/public/photos/{photos[after.id]}" in after_part
    assert 'id="follow"' in page and f"/cases/{case.code}/follow" in page


def test_the_public_page_without_after_photos_shows_the_residents_alone(login_as, client):
    officer = login_as("officer")
    case = _photo_case()
    assert _publish(officer, case).status_code == 302
    page = client.get(f"/public/cases/{case.code}").get_data(as_text=True)
    assert 'id="public-photos"' in page and 'id="before-after"' not in page
