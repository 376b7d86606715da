"""Second factor: TOTP codes from an authenticator app, and one-time recovery codes.

A code is accepted once: the last accepted time step is kept, so a code seen over a shoulder or
replayed from a log cannot be used again in its 30-second window. Using a code up is one
conditional UPDATE whose row count decides, never a check of the loaded row followed by a write:
the same code posted twice at the same moment from two sessions (two transactions that both read
the old row) is then accepted by exactly one of them, because the database re-checks the
condition on the row the other one changed.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

import pyotp
from sqlalchemy import Update, or_, update
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.models import RecoveryCode, User
from app.extensions import db
from app.models import utcnow

RECOVERY_CODE_COUNT = 10
ISSUER = "Rongrian"


def new_secret() -> str:
    """A fresh random TOTP secret (base32, 160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(user: User, secret: str, issuer: str = ISSUER) -> str:
    """The ``otpauth://`` address an authenticator app understands."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def matching_step(
    secret: str, code: str, after: int | None, now: float | None = None
) -> int | None:
    """The time step (current, previous or next) whose code is ``code`` and later than ``after``."""
    code = "".join((code or "").split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now or time.time())
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _won(statement: Update, loaded: object, attribute: str, value: object) -> bool:
    """Run a conditional UPDATE of one row; True if this transaction changed it.

    The row count decides, so of two requests using the same code at once exactly one wins.
    The winner's loaded object is told the new value without reloading it.
    """
    result = db.session.execute(
        statement.values({attribute: value}).execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    set_committed_value(loaded, attribute, value)
    return True


def _use_up_step(user: User, step: int) -> bool:
    """Record ``step`` as the user's last accepted one unless it (or a later one) already is.

    ``user`` is a body's user or a platform account (``app.platform``): the same columns.
    """
    model = type(user)
    unused = or_(model.totp_last_step.is_(None), model.totp_last_step < step)
    return _won(update(model).where(model.id == user.id, unused), user, "totp_last_step", step)


def accept_totp(user: User, code: str) -> bool:
    """Check ``code`` against the user's secret and, if right and still unused, use it up."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, user.totp_last_step)
    return step is not None and _use_up_step(user, step)


def _hash(code: str) -> str:
    # Recovery codes are long random strings, so a plain digest is enough (no guessing to slow).
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes; return the new ones (shown once, stored hashed)."""
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODE_COUNT)]
    user.recovery_codes = [RecoveryCode(code_hash=_hash(c)) for c in codes]
    return codes


def _use_up_recovery_code(stored: RecoveryCode) -> bool:
    """Mark ``stored`` used unless another transaction already did."""
    unused = update(RecoveryCode).where(
        RecoveryCode.id == stored.id, RecoveryCode.used_at.is_(None)
    )
    return _won(unused, stored, "used_at", utcnow())


def accept_recovery_code(user: User, code: str) -> bool:
    """Use up one unused recovery code of ``user`` if ``code`` is one."""
    digest = _hash(code or "")
    for stored in user.recovery_codes:
        if stored.used_at is None and hmac.compare_digest(stored.code_hash, digest):
            return _use_up_recovery_code(stored)
    return False
