"""Proof of the fix (after photos), the resident's reopening with a photo, and what officers see
of supporters and likely duplicates on the case page."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.extensions import db
from cases.models import Attachment, AttachmentPurpose, Case
from cases.subscribers import SubscriberDetails, support_case
from tests.factories import PDF_BYTES, assert_photo_shown_inline, make_case, png_bytes


def _resolve_with(officer, case, files, **fields):
    data = {"action": "resolve", "version": case.version, "reason": "ซ่อมเสร็จแล้ว", **fields}
    data["after_photos"] = [(io.BytesIO(content), name) for name, content in files]
    return officer.post(
        f"/staff/cases/{case.id}/status", data=data, content_type="multipart/form-data"
    )


def _move(officer, case, action):
    db.session.refresh(case)
    response = officer.post(
        f"/staff/cases/{case.id}/status", data={"action": action, "version": case.version}
    )
    assert response.status_code == 302
    db.session.refresh(case)


def _after_photos(case_id: int) -> list[Attachment]:
    return list(
        db.session.scalars(
            select(Attachment).where(
                Attachment.case_id == case_id, Attachment.purpose == AttachmentPurpose.AFTER
            )
        )
    )


def test_case_page_offers_the_phone_camera_for_after_photos(login_as):
    officer = login_as("officer")
    case, _ = make_case()
    html = officer.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert html.count('name="after_photos" accept="image/*" capture="environment"') == 2
    assert html.count('enctype="multipart/form-data"') >= 2


def test_resolving_with_a_photo_shows_before_and_after_on_the_status_page(login_as, client):
    officer = login_as("officer")
    case, result = make_case(with_attachment=True)
    _move(officer, case, "start")
    response = _resolve_with(officer, case, [("fixed.png", png_bytes((30, 20)))])
    assert response.status_code == 302
    (after,) = _after_photos(case.id)
    assert after.content_type == "image/png" and after.case_id == case.id

    client.get(f"/track/{result.code}/{result.token}")
    page = client.get(f"/track/{case.code}").get_data(as_text=True)
    assert 'id="before-after"' in page and "หลังดำเนินการ" in page
    assert f"/track/{case.code}/photos/{after.id}" in page
    assert_photo_shown_inline(client, f"/track/{case.code}/photos/{after.id}")
    staff_page = officer.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert 'id="staff-after-photos"' in staff_page


def test_a_reply_may_carry_after_photos_too(login_as):
    officer = login_as("officer")
    case, _ = make_case()
    data = {
        "body": "เกลี่ยถนนแล้วค่ะ",
        "version": case.version,
        "after_photos": [(io.BytesIO(png_bytes()), "road.png")],
    }
    response = officer.post(
        f"/staff/cases/{case.id}/reply", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 302 and len(_after_photos(case.id)) == 1


def test_a_refused_after_photo_is_a_thai_422_and_changes_nothing(login_as, app):
    officer = login_as("officer")
    case, _ = make_case()
    _move(officer, case, "start")
    for name, content, reason in [
        ("letter.pdf", PDF_BYTES, "รับเฉพาะรูปภาพ"),
        ("fake.png", b"MZ not an image", "รับเฉพาะรูปภาพ (JPG, PNG, WEBP) และ PDF"),
        ("huge.png", png_bytes((4000, 4000)), "พิกเซล"),
    ]:
        app.config["MAX_IMAGE_PIXELS"] = 1_000_000
        response = _resolve_with(officer, case, [(name, content)])
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert f"ไม่รับไฟล์ {name}" in html and reason in html
        assert "ซ่อมเสร็จแล้ว" in html  # the officer's text is kept
    db.session.refresh(case)
    assert case.status == "in_progress" and _after_photos(case.id) == []


def test_not_fixed_the_resident_reopens_with_a_photo(login_as, client):
    officer = login_as("officer")
    case, result = make_case()
    _move(officer, case, "start")
    _move(officer, case, "resolve")
    client.get(f"/track/{result.code}/{result.token}")
    page = client.get(f"/track/{case.code}").get_data(as_text=True)
    assert 'name="reopen_photos"' in page
    response = client.post(
        f"/track/{case.code}/reopen",
        data={"reason": "ยังเป็นหลุมอยู่", "reopen_photos": [(io.BytesIO(png_bytes()), "still.png")]},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    db.session.expire_all()
    reopened = db.session.get(Case, case.id)
    assert reopened is not None and reopened.status_group == "open"
    photos = [a for a in reopened.attachments if a.purpose == AttachmentPurpose.RESIDENT]
    assert [p.original_name for p in photos] == ["still.png"]


def test_a_reopen_photo_that_is_no_photo_is_refused_and_the_case_stays_resolved(login_as, client):
    officer = login_as("officer")
    case, result = make_case()
    _move(officer, case, "start")
    _move(officer, case, "resolve")
    client.get(f"/track/{result.code}/{result.token}")
    client.post(
        f"/track/{case.code}/reopen",
        data={"reason": "ยังไม่ได้ซ่อม", "reopen_photos": [(io.BytesIO(PDF_BYTES), "a.pdf")]},
        content_type="multipart/form-data",
    )
    db.session.expire_all()
    assert db.session.get(Case, case.id).status == "resolved"
    assert "รับเฉพาะรูปภาพ" in client.get(f"/track/{case.code}").get_data(as_text=True)


def test_officer_sees_the_support_count_supporters_and_likely_duplicates(login_as):
    officer = login_as("officer")
    first, _ = make_case(location_text="หมู่ 3")
    second, _ = make_case(location_text="หมู่ 3", subject="ถนนเป็นหลุมลึกหน้าบ้าน")
    support_case(
        first.code,
        SubscriberDetails(
            contact_name="สมหญิง", contact_phone="0811111111", privacy_acknowledged=True
        ),
    )
    html = officer.get(f"/staff/cases/{first.id}").get_data(as_text=True)
    assert 'id="support-count">1 คน' in html
    assert "สมหญิง" in html and "0811111111" in html
    assert "เรื่องที่อาจซ้ำกัน" in html and second.code in html
    merge = officer.post(
        f"/staff/cases/{second.id}/merge",
        data={"into_code": first.code, "version": second.version},
    )
    assert merge.status_code == 302
    html = officer.get(f"/staff/cases/{first.id}").get_data(as_text=True)
    assert "เรื่องที่อาจซ้ำกัน" not in html  # the merged one is no longer suggested
    assert db.session.scalar(select(func.count(Case.id)).where(Case.merged_into_id == first.id))
