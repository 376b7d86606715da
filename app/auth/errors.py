"""Errors of staff accounts, with messages staff can read (Thai source strings)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l


class AccountError(Exception):
    """Base class of account errors; ``message`` is what the user reads."""

    message: object = _l("ไม่สามารถดำเนินการได้")

    def __init__(self, message: object | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class SignInRefused(AccountError):
    """Wrong e-mail or password, or a disabled account: deliberately one message for all."""

    message = _l("อีเมลหรือรหัสผ่านไม่ถูกต้อง")


class SignInThrottled(AccountError):
    """Too many failures for this account or from this address; the same message for both."""

    def __init__(self, minutes: int) -> None:
        super().__init__(
            _l("ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไป กรุณารอ %(minutes)s นาทีแล้วลองใหม่", minutes=minutes)
        )


class InvalidPassword(AccountError):
    """A new password that breaks the password rules."""


class InvalidAccount(AccountError):
    """A user that cannot be created as asked (duplicate e-mail, unknown department...)."""


class RoleChangeRefused(AccountError):
    """A change of roles the web admin pages may not make: one's own, or granting ``integrity``."""

    message = _l("ไม่สามารถเปลี่ยนบทบาทนี้ได้")


class SecondFactorRefused(AccountError):
    """A wrong, reused or expired authenticator or recovery code."""

    message = _l("รหัสยืนยันไม่ถูกต้องหรือถูกใช้ไปแล้ว")


class CurrentSecondFactorRefused(SecondFactorRefused):
    """Replacing the authenticator app: the code of the app in use (or recovery code) is wrong."""

    message = _l("รหัสจากแอปยืนยันตัวตนเดิมหรือรหัสกู้คืนไม่ถูกต้องหรือถูกใช้ไปแล้ว")
