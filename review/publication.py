"""Moderation: an officer publishes a case with public wording and redacted photos, or hides it.

Only a case whose resident allowed publication can be published. The resident's subject, details
and photos stay as sent (staff-only); the public sees the officer's title, description and place
and copies of the chosen photos with the drawn regions blacked out and no metadata. Each
publication, edit and hiding is a (staff-only) timeline entry and an audit entry, in the same
transaction as the change.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import lazy_gettext as _l

from app import audit, uploads
from app.auth.models import User
from app.extensions import db
from app.models import utcnow
from app.uploads import Box
from app.workflow import change_transaction
from cases.models import Attachment, Case, CaseEvent, EventType
from cases.publication import (
    PUBLIC_DESCRIPTION_MAX,
    PUBLIC_PLACE_MAX,
    PUBLIC_TITLE_MAX,
    Publication,
    PublicPhoto,
    delete_public_files,
    publication_of,
)
from review.access import can_see
from review.errors import CaseNotVisible, InvalidChange

PUBLIC_PHOTO_SIDE = 1280  # the case page's copy: sharp on a phone, a fraction of the original
PUBLIC_THUMB_SIDE = 320  # the list's
BOXES_MAX = 30  # per photo; more is a garbled field, not a careful officer


@dataclass
class PublicWording:
    """What the officer typed for the public, and which photos to show with which boxes."""

    title: str
    description: str = ""
    place: str = ""
    show_position: bool = True
    photos: dict[int, list[Box]] = field(default_factory=dict)


def parse_boxes(raw: str) -> list[Box]:
    """The boxes drawn on one photo, posted as JSON ``[[x, y, w, h], ...]`` (fractions, 0-1).

    Boxes are clipped to the picture; anything that is not such a list is refused with a Thai
    message (the officer's page is shown again with what they typed).
    """
    if not raw.strip():
        return []
    try:
        values = json.loads(raw)
        boxes = [tuple(float(v) for v in box) for box in values]
    except (ValueError, TypeError):
        raise InvalidChange(_l("กรอบปิดบังภาพไม่ถูกต้อง กรุณาวาดใหม่")) from None
    if len(boxes) > BOXES_MAX or any(len(box) != 4 for box in boxes):
        raise InvalidChange(_l("กรอบปิดบังภาพไม่ถูกต้อง กรุณาวาดใหม่"))
    clipped: list[Box] = []
    for x, y, w, h in boxes:
        left, top = min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)
        right, bottom = min(max(x + w, 0.0), 1.0), min(max(y + h, 0.0), 1.0)
        if right > left and bottom > top:
            clipped.append((left, top, right - left, bottom - top))
    return clipped


def _checked(case: Case, wording: PublicWording) -> dict[int, Attachment]:
    """Refuse what may not be published; return the chosen photos by id."""
    if not case.publication_allowed:
        raise InvalidChange(_l("ผู้ร้องไม่ได้ยินยอมให้เผยแพร่เรื่องนี้ จึงเผยแพร่ไม่ได้"))
    if case.merged_into_id is not None or case.anonymised_at is not None:
        raise InvalidChange(_l("เรื่องที่รวมกับเรื่องอื่นแล้วหรือลบข้อมูลส่วนบุคคลแล้ว เผยแพร่ไม่ได้"))
    wording.title = " ".join(wording.title.split())
    wording.description = wording.description.strip()
    wording.place = " ".join(wording.place.split())
    if len(wording.title) < 3:
        raise InvalidChange(_l("กรุณาตั้งหัวข้อสำหรับเผยแพร่อย่างน้อย 3 ตัวอักษร"))
    if len(wording.title) > PUBLIC_TITLE_MAX or len(wording.place) > PUBLIC_PLACE_MAX:
        raise InvalidChange(_l("หัวข้อหรือสถานที่สำหรับเผยแพร่ยาวเกินไป"))
    if len(wording.description) > PUBLIC_DESCRIPTION_MAX:
        raise InvalidChange(_l("คำอธิบายสำหรับเผยแพร่ยาวเกิน 2,000 ตัวอักษร"))
    photos = {a.id: a for a in case.attachments if a.is_image}
    if not set(wording.photos) <= set(photos):
        raise InvalidChange(_l("ไม่พบภาพที่เลือก กรุณาโหลดหน้านี้ใหม่"))
    return {photo_id: photos[photo_id] for photo_id in wording.photos}


def _public_copies(chosen: dict[int, Attachment], wording: PublicWording) -> list[PublicPhoto]:
    """Write the redacted copies (full and thumbnail) of each chosen photo; rows not yet added."""
    upload_dir = current_app.config["UPLOAD_DIR"]
    copies = []
    for photo_id, attachment in chosen.items():
        original = uploads.file_path(upload_dir, attachment.stored_name).read_bytes()
        boxes = wording.photos[photo_id]
        try:
            full = uploads.redacted_jpeg(original, boxes, PUBLIC_PHOTO_SIDE)
            thumb = uploads.redacted_jpeg(original, boxes, PUBLIC_THUMB_SIDE)
        except uploads.UploadRefused:
            raise InvalidChange(_l("เปิดภาพต้นฉบับไม่ได้ กรุณาไม่เลือกภาพนี้")) from None
        stored_name, _ = uploads.write_file(upload_dir, full)
        thumb_name, _ = uploads.write_file(upload_dir, thumb)
        copies.append(
            PublicPhoto(
                attachment_id=photo_id,
                stored_name=stored_name,
                thumb_name=thumb_name,
                size_bytes=len(full),
                redactions=[list(box) for box in boxes],
            )
        )
    return copies


def _record(
    case: Case, user: User, type_: EventType, action: str, detail: dict[str, object]
) -> None:
    body = str(detail["title"])
    db.session.add(CaseEvent(case=case, author_id=user.id, type=type_, is_public=False, body=body))
    audit.record(action, target_type="case", target_id=case.id, detail=detail, actor=user)


def publish(
    user: User, case: Case, wording: PublicWording, expected_version: int | None
) -> Publication:
    """Show ``case`` on the public pages with ``wording`` (first time, again, or an edit)."""
    if not can_see(user, case):
        raise CaseNotVisible()
    chosen = _checked(case, wording)
    copies = _public_copies(chosen, wording)
    publication = publication_of(case)
    replaced = list(publication.photos) if publication else []
    try:
        with change_transaction(case, expected_version):
            now = utcnow()
            if publication is None:
                publication = Publication(case=case, published_at=now)
                db.session.add(publication)
            newly_shown = publication.id is None or not publication.visible
            if newly_shown:
                publication.published_at = now
            publication.title, publication.description = wording.title, wording.description
            publication.place, publication.show_position = wording.place, wording.show_position
            publication.visible, publication.updated_at = True, now
            publication.published_by_id = user.id
            publication.photos = copies
            detail: dict[str, object] = {
                "title": wording.title,
                "photos": len(copies),
                "boxes": sum(len(boxes) for boxes in wording.photos.values()),
            }
            if newly_shown:
                _record(case, user, EventType.PUBLISHED, "case_published", detail)
            else:
                _record(case, user, EventType.PUBLICATION_EDITED, "case_publication_edited", detail)
    except Exception:
        delete_public_files(copies)
        raise
    delete_public_files(replaced)
    return publication


def hide(user: User, case: Case, expected_version: int | None) -> None:
    """Take a published case off the public pages (its wording is kept for publishing again)."""
    if not can_see(user, case):
        raise CaseNotVisible()
    publication = publication_of(case)
    if publication is None or not publication.visible:
        raise InvalidChange(_l("เรื่องนี้ไม่ได้เผยแพร่อยู่"))
    with change_transaction(case, expected_version):
        publication.visible, publication.updated_at = False, utcnow()
        _record(case, user, EventType.UNPUBLISHED, "case_unpublished", {"title": publication.title})
