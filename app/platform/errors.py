"""Refusals of the platform's services, with messages people read (Thai source strings)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.auth.errors import AccountError


class PlatformError(AccountError):
    """A platform account or invitation that cannot be made as asked."""


class InvitationRefused(PlatformError):
    """An unknown invitation code, or one for another body: the same 404 as any missing page."""

    status = 404
    message = _l("ไม่พบคำเชิญนี้ กรุณาตรวจสอบลิงก์ที่ได้รับ")


class InvitationSpent(InvitationRefused):
    """An invitation already taken up, or past its time (410 Gone)."""

    status = 410
    message = _l("คำเชิญนี้ถูกใช้ไปแล้วหรือหมดอายุแล้ว กรุณาขอคำเชิญใหม่จากผู้ดูแลแพลตฟอร์ม")
