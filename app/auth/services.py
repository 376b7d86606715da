"""Staff accounts: creating users, signing in and out, throttling, ending sessions."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute

from app import audit
from app.auth import two_factor
from app.auth.errors import (
    InvalidAccount,
    InvalidPassword,
    SecondFactorRefused,
    SignInRefused,
    SignInThrottled,
)
from app.auth.models import Role, SignInFailure, User
from app.auth.passwords import (
    burn_verification_time,
    hash_password,
    password_problem,
    verify_password,
)
from app.database import AnySession
from app.extensions import db
from app.models import utcnow
from cases.models import Department


def normalise_email(raw: str) -> str:
    """Trimmed and lower-cased, so that sign-in does not depend on how it was typed."""
    return (raw or "").strip().lower()


def _account_key(email: str) -> str:
    # Keyed hash: the failures table never holds the e-mails people typed.
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, f"signin:{email}".encode(), hashlib.sha256).hexdigest()


def user_by_email(email: str) -> User | None:
    """The user with ``email`` (case-insensitive), if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _departments(session: AnySession, codes: Iterable[str]) -> list[Department]:
    wanted = set(codes)
    found = list(session.scalars(select(Department).where(Department.code.in_(wanted))))
    missing = wanted - {d.code for d in found}
    if missing:
        raise InvalidAccount(_l("ไม่พบหน่วยงาน: %(codes)s", codes=", ".join(sorted(missing))))
    return found


def create_user(
    email: str,
    display_name: str,
    password: str,
    roles: Iterable[Role | str],
    department_codes: Iterable[str] = (),
) -> User:
    """Create an active staff account; raise ``InvalidAccount`` or ``InvalidPassword``."""
    session = db.session
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidAccount(_l("อีเมลไม่ถูกต้อง")) from exc
    if user_by_email(email) is not None:
        raise InvalidAccount(_l("มีผู้ใช้อีเมลนี้อยู่แล้ว"))
    _require_acceptable(password)
    user = User(
        email=email,
        display_name=display_name.strip() or email,
        password_hash=hash_password(password),
        session_version=1,
    )
    user.set_roles({Role(r) for r in roles})
    user.departments = _departments(session, department_codes)
    session.add(user)
    session.flush()
    audit.record(
        "user_created",
        target_type="user",
        target_id=user.id,
        detail={"roles": sorted(user.roles), "departments": sorted(department_codes)},
    )
    session.commit()
    return user


def _recent_failures(column: InstrumentedAttribute[str], value: str) -> int:
    since = utcnow() - timedelta(minutes=current_app.config["SIGNIN_THROTTLE_MINUTES"])
    count = db.session.scalar(
        select(func.count(SignInFailure.id)).where(column == value, SignInFailure.at >= since)
    )
    return int(count or 0)


def _throttled(account_key: str, ip: str) -> bool:
    # Guessing is slowed per account and per address (SIGNIN_* settings, see the README).
    config = current_app.config
    return (
        _recent_failures(SignInFailure.account_key, account_key)
        >= config["SIGNIN_FAILURES_PER_ACCOUNT"]
        or _recent_failures(SignInFailure.ip, ip) >= config["SIGNIN_FAILURES_PER_IP"]
    )


def _refuse(email: str, account_key: str, ip: str, user: User | None, reason: str) -> None:
    db.session.add(SignInFailure(account_key=account_key, ip=ip))
    audit.record(
        "sign_in_failed",
        target_type="user" if user else None,
        target_id=user.id if user else None,
        detail={"email": email[:254], "reason": reason},
    )
    db.session.commit()


def authenticate(email: str, password: str) -> User:
    """Check an e-mail and password; return the user or raise a sign-in error.

    Unknown accounts, wrong passwords and disabled accounts get the same error; throttled
    attempts get the same error whether or not the account exists.
    """
    email = normalise_email(email)
    ip = audit.client_ip()
    key = _account_key(email)
    if _throttled(key, ip):
        _refuse(email, key, ip, None, "throttled")
        raise SignInThrottled(current_app.config["SIGNIN_THROTTLE_MINUTES"])
    user = user_by_email(email)
    if user is None:
        burn_verification_time(password)
        _refuse(email, key, ip, None, "unknown_account")
        raise SignInRefused()
    if not verify_password(user.password_hash, password) or not user.active:
        _refuse(email, key, ip, user, "wrong_password" if user.active else "disabled")
        raise SignInRefused()
    db.session.execute(delete(SignInFailure).where(SignInFailure.account_key == key))
    return user


def check_second_factor(user: User, code: str) -> None:
    """Accept a TOTP or recovery code for ``user``; failures count towards the throttle."""
    ip = audit.client_ip()
    key = _account_key(user.email)
    if _throttled(key, ip):
        _refuse(user.email, key, ip, user, "throttled")
        raise SignInThrottled(current_app.config["SIGNIN_THROTTLE_MINUTES"])
    if two_factor.accept_totp(user, code):
        return
    if two_factor.accept_recovery_code(user, code):
        audit.record("recovery_code_used", target_type="user", target_id=user.id, actor=user)
        return
    _refuse(user.email, key, ip, user, "wrong_second_factor")
    raise SecondFactorRefused()


def enrol_two_factor(user: User, secret: str, code: str) -> list[str]:
    """Turn on TOTP for ``user`` once they prove their app shows ``code``; return recovery codes."""
    step = two_factor.matching_step(secret, code, None)
    if step is None:
        raise SecondFactorRefused()
    user.totp_secret = secret
    user.totp_last_step = step
    codes = two_factor.new_recovery_codes(user)
    audit.record("two_factor_enabled", target_type="user", target_id=user.id, actor=user)
    db.session.commit()
    return codes


def record_sign_in(user: User) -> None:
    """Note a completed sign-in (after any second factor) in the user and the audit log."""
    user.last_sign_in_at = utcnow()
    audit.record("sign_in", target_type="user", target_id=user.id, actor=user)
    db.session.commit()


def sign_out(user: User) -> None:
    """End every session of ``user``: signing out here signs out everywhere."""
    user.end_all_sessions()
    audit.record("sign_out", target_type="user", target_id=user.id, actor=user)
    db.session.commit()


def _require_acceptable(password: str) -> None:
    problem = password_problem(password)
    if problem is not None:
        raise InvalidPassword(problem)


def _replace_password(user: User, new: str) -> None:
    """Store ``new`` if it is acceptable; every session of ``user`` ends, a stolen one too."""
    _require_acceptable(new)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.end_all_sessions()


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; other sessions end."""
    if not verify_password(user.password_hash, current):
        raise InvalidPassword(_l("รหัสผ่านปัจจุบันไม่ถูกต้อง"))
    _replace_password(user, new)
    audit.record("password_changed", target_type="user", target_id=user.id, actor=user)
    db.session.commit()


def update_user(
    user: User,
    *,
    display_name: str,
    roles: Iterable[Role | str],
    department_codes: Iterable[str],
    active: bool,
    new_password: str = "",
) -> None:
    """An admin's change of an account; disabling it or a new password ends its sessions."""
    wanted_roles = {Role(r) for r in roles}
    codes = sorted(set(department_codes))
    if new_password:
        _replace_password(user, new_password)
    before = {"roles": sorted(user.roles), "active": user.active}
    user.display_name = display_name.strip() or user.display_name
    user.set_roles(wanted_roles)
    user.departments = _departments(db.session, codes)
    if user.active and not active:
        user.end_all_sessions()
    user.active = active
    audit.record(
        "user_updated",
        target_type="user",
        target_id=user.id,
        detail={
            "before": before,
            "roles": sorted(wanted_roles),
            "departments": codes,
            "active": active,
            "password_reset": bool(new_password),
        },
    )
    db.session.commit()


def set_active(user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions at once."""
    user.active = active
    if not active:
        user.end_all_sessions()
    audit.record(
        "user_enabled" if active else "user_disabled", target_type="user", target_id=user.id
    )
    db.session.commit()


def load_session_user(session_id: str) -> User | None:
    """The user behind a session's ``id:version``; ``None`` if the version is stale."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user
