"""Errors of the general track, with messages residents can read (Thai source strings)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

REFUSAL_MESSAGES = {
    "empty": _l("ไฟล์ว่างเปล่า"),
    "too_large": _l("ไฟล์ใหญ่เกินกำหนด"),
    "type": _l("รับเฉพาะรูปภาพ (JPG, PNG, WEBP) และ PDF"),
    "damaged": _l("ไฟล์เสียหรือเปิดไม่ได้"),
    "too_many": _l("แนบได้ไม่เกินจำนวนที่กำหนด"),
    "too_many_pixels": _l("รูปภาพมีจำนวนพิกเซลมากเกินกำหนด กรุณาย่อรูปให้เล็กลงแล้วส่งใหม่"),
    "pdf_active": _l("ไฟล์ PDF นี้มีสคริปต์หรือคำสั่งที่ทำงานอัตโนมัติ จึงรับไม่ได้ กรุณาส่งไฟล์ PDF ธรรมดา"),
    "pdf_locked": _l("ไฟล์ PDF นี้ตั้งรหัสผ่านไว้ จึงตรวจไม่ได้ กรุณาส่งไฟล์ที่ไม่มีรหัสผ่าน"),
    "staging_client": _l("แนบไฟล์ค้างไว้โดยยังไม่ได้ส่งเรื่องมากเกินกำหนด กรุณาส่งเรื่องให้เสร็จก่อน หรือลองใหม่พรุ่งนี้"),
    "staging_full": _l("ขณะนี้ระบบรับไฟล์แนบไม่ได้ชั่วคราว กรุณาส่งเรื่องโดยไม่แนบไฟล์ หรือลองใหม่ภายหลัง"),
}


class CaseError(Exception):
    """Base class of the general track's domain errors."""


class IntakeError(CaseError):
    """A submission that cannot be stored as it is; ``field_errors`` maps field -> message."""

    def __init__(self, field_errors: dict[str, object]) -> None:
        super().__init__(", ".join(field_errors))
        self.field_errors = field_errors


class CaseNotFound(CaseError):
    """No case matches the code and secret given (deliberately the same for both mistakes)."""
