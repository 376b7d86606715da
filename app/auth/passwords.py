"""Password hashing (argon2id) and the password rules.

The rules follow NIST SP 800-63B: at least 8 characters, up to 64, any characters, no
composition rules, and the most common passwords refused.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l

PASSWORD_MIN, PASSWORD_MAX = 8, 64
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")


def _hasher() -> PasswordHasher:
    """argon2id with the library's defaults, or cheap parameters when tests ask for them."""
    if has_app_context() and current_app.config.get("PASSWORD_HASH_FAST"):
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (never raises on a bad hash)."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return PasswordHasher().hash("not-a-real-password")


def burn_verification_time(password: str) -> None:
    """Spend as long as a real check, so unknown e-mails cannot be told apart by timing."""
    verify_password(_dummy_hash(), password)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The refused passwords (lower case), from ``common_passwords.txt``."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problem(password: str) -> object | None:
    """Why ``password`` cannot be used, or ``None`` when it is acceptable."""
    if len(password) < PASSWORD_MIN:
        return _l("รหัสผ่านต้องยาวอย่างน้อย 8 ตัวอักษร")
    if len(password) > PASSWORD_MAX:
        return _l("รหัสผ่านยาวได้ไม่เกิน 64 ตัวอักษร")
    if password.lower() in common_passwords():
        return _l("รหัสผ่านนี้ถูกใช้บ่อยเกินไปและเดาได้ง่าย กรุณาเลือกรหัสอื่น")
    return None
