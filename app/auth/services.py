"""Staff accounts: creating users, signing in and out, throttling, ending sessions."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any, NoReturn, Protocol, TypeVar

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute

from app import audit
from app.auth import two_factor
from app.auth.errors import (
    AccountError,
    CurrentSecondFactorRefused,
    InvalidAccount,
    InvalidPassword,
    RoleChangeRefused,
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
from app.database import AnySession, unit_of_work
from app.extensions import db
from app.models import Department, utcnow

# Roles an admin may grant on the web pages. ``integrity`` opens the corruption reports, so it is
# granted only on the server (``flask users grant-integrity``): a stolen or curious admin account
# can give it neither to itself nor to anyone else.
WEB_GRANTABLE_ROLES = frozenset(Role) - {Role.INTEGRITY}
OWN_ROLES_REFUSED = _l("ท่านเปลี่ยนบทบาทของบัญชีตนเองไม่ได้ ต้องให้ผู้ดูแลระบบคนอื่นเป็นผู้เปลี่ยน")
INTEGRITY_GRANT_REFUSED = _l(
    "บทบาทเจ้าหน้าที่รับเรื่องทุจริตให้ได้ด้วยคำสั่ง flask users grant-integrity "
    "บนเครื่องแม่ข่ายเท่านั้น ไม่สามารถให้จากหน้าเว็บได้"
)


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


def parse_roles(roles: Iterable[Role | str]) -> frozenset[Role]:
    """``roles`` as ``Role`` values; an unknown name raises ``InvalidAccount``."""
    try:
        return frozenset(Role(r) for r in roles)
    except ValueError as exc:
        raise InvalidAccount(_l("ไม่รู้จักบทบาทที่เลือก")) from exc


def _role_change_problem(actor: User, user: User | None, wanted: frozenset[Role]) -> str | None:
    """Why ``actor`` may not give ``user`` (``None``: a new account) the roles ``wanted``."""
    held = user.roles if user is not None else frozenset()
    if user is not None and user.id == actor.id and wanted != held:
        return "own_roles"
    if (wanted - held) - WEB_GRANTABLE_ROLES:
        return "integrity_not_grantable_on_web"
    return None


def access_role_change(actor: User, user: User | None, wanted: frozenset[Role]) -> None:
    """Check that an admin on the web pages may make this change of roles, else refuse it.

    Nobody changes their own roles, and ``integrity`` is never added from the web (an existing
    holder keeps it while other things are edited, and it may be taken away). A refusal ends
    the calling action: its audit entry is that action's whole transaction, committed before
    ``RoleChangeRefused`` is raised.
    """
    problem = _role_change_problem(actor, user, wanted)
    if problem is None:
        return
    held = sorted(user.roles) if user is not None else []
    with unit_of_work(db.session):
        audit.record(
            "role_change_refused",
            target_type="user",
            target_id=user.id if user is not None else None,
            detail={"reason": problem, "held": held, "wanted": sorted(wanted)},
        )
    own = problem == "own_roles"
    raise RoleChangeRefused(OWN_ROLES_REFUSED if own else INTEGRITY_GRANT_REFUSED)


def create_user(
    email: str,
    display_name: str,
    password: str,
    roles: Iterable[Role | str],
    department_codes: Iterable[str] = (),
    *,
    actor: User | None = None,
) -> User:
    """Create an active staff account; raise ``InvalidAccount`` or ``InvalidPassword``.

    ``actor`` is the admin creating it on the web pages, who may grant only
    ``WEB_GRANTABLE_ROLES`` (``RoleChangeRefused``); ``None`` on the command line and in seeds.
    """
    wanted_roles = parse_roles(roles)
    if actor is not None:
        access_role_change(actor, None, wanted_roles)
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidAccount(_l("อีเมลไม่ถูกต้อง")) from exc
    if user_by_email(email) is not None:
        raise InvalidAccount(_l("มีผู้ใช้อีเมลนี้อยู่แล้ว"))
    _require_acceptable(password)
    with unit_of_work(db.session) as session:
        user = User(
            email=email,
            display_name=display_name.strip() or email,
            password_hash=hash_password(password),
            session_version=1,
        )
        user.set_roles(wanted_roles)
        user.departments = _departments(session, department_codes)
        session.add(user)
        session.flush()
        audit.record(
            "user_created",
            target_type="user",
            target_id=user.id,
            detail={"roles": sorted(user.roles), "departments": sorted(department_codes)},
        )
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


def _typed_identifier(account_key: str, user: SignsIn | None) -> dict[str, str]:
    """What a failed sign-in keeps of the typed e-mail: the account's e-mail, or a keyed hash.

    People type passwords into the e-mail box; whatever is not a known account's e-mail is kept
    only as (the start of) the same keyed hash the throttle counts by, so repeated attempts with
    one identifier can still be told apart in the audit log without storing what was typed.
    """
    if user is not None:
        return {"email": user.email}
    return {"identifier_hmac": account_key[:32]}


def _refuse(
    account_key: str,
    ip: str,
    user: SignsIn | None,
    reason: str,
    error: AccountError,
    action: str = "sign_in_failed",
) -> NoReturn:
    """End the calling sign-in step with ``error``: the failure counts towards the throttle and
    is audited as ``action``, committed as that step's whole transaction before ``error`` is
    raised (a refused attempt must be kept although the step fails)."""
    with unit_of_work(db.session) as session:
        session.add(SignInFailure(account_key=account_key, ip=ip))
        audit.record(
            action,
            target_type="user" if user else None,
            target_id=user.id if user else None,
            detail={**_typed_identifier(account_key, user), "reason": reason},
        )
    raise error


def _throttled_error() -> SignInThrottled:
    return SignInThrottled(current_app.config["SIGNIN_THROTTLE_MINUTES"])


class SignsIn(Protocol):
    """An account that signs in with a password: a body's user or a platform account."""

    id: Any
    email: Any
    password_hash: Any
    active: Any
    last_sign_in_at: Any
    session_version: Any


A = TypeVar("A", bound=SignsIn)


def authenticate(email: str, password: str) -> User:
    """Check an e-mail and password of a body's user; return the user or raise a sign-in error."""
    return authenticate_with(email, password, user_by_email)


def authenticate_with(email: str, password: str, find: Callable[[str], A | None]) -> A:
    """Check an e-mail and password; return the account ``find`` finds or raise a sign-in error.

    ``find`` looks the account up (a body's users, or the platform's accounts on the platform's
    sign-in page), so both kinds share one throttle and one set of rules. Unknown accounts,
    wrong passwords and disabled accounts get the same error; throttled attempts get the same
    error whether or not the account exists. A refusal is committed; on success the throttle's
    count is cleared but not committed here: ``record_sign_in`` commits it with the completed
    sign-in, and a sign-in abandoned at the second factor keeps its count.
    """
    email = normalise_email(email)
    ip = audit.client_ip()
    key = _account_key(email)
    user = find(email)
    if _throttled(key, ip):
        _refuse(key, ip, user, "throttled", _throttled_error())
    if user is None:
        burn_verification_time(password)
        _refuse(key, ip, None, "unknown_account", SignInRefused())
    if not verify_password(user.password_hash, password) or not user.active:
        _refuse(key, ip, user, "wrong_password" if user.active else "disabled", SignInRefused())
    db.session.execute(delete(SignInFailure).where(SignInFailure.account_key == key))
    return user


def check_second_factor(user: User, code: str) -> None:
    """Accept a TOTP or recovery code for ``user``; failures count towards the throttle.

    A refusal is committed; an accepted code is used up in the session and committed by
    ``record_sign_in`` with the completed sign-in that follows it.
    """
    ip = audit.client_ip()
    key = _account_key(user.email)
    if _throttled(key, ip):
        _refuse(key, ip, user, "throttled", _throttled_error())
    if not _use_second_factor(user, code):
        _refuse(key, ip, user, "wrong_second_factor", SecondFactorRefused())


def _use_second_factor(user: User, code: str) -> bool:
    """Use up ``code`` if it is an unused TOTP or recovery code of ``user``."""
    if two_factor.accept_totp(user, code):
        return True
    if two_factor.accept_recovery_code(user, code):
        audit.record("recovery_code_used", target_type="user", target_id=user.id, actor=user)
        return True
    return False


def enrol_two_factor(user: User, secret: str, code: str) -> list[str]:
    """Turn on TOTP for ``user`` once they prove their app shows ``code``; return recovery codes."""
    step = two_factor.matching_step(secret, code, None)
    if step is None:
        raise SecondFactorRefused()
    with unit_of_work(db.session):
        return _install_authenticator(user, secret, step, "two_factor_enabled")


def _install_authenticator(user: User, secret: str, step: int, action: str) -> list[str]:
    """Tie ``user`` to the app showing ``secret`` (its code of ``step`` used up); new recovery
    codes are returned, shown once. Audited as ``action``; the caller commits."""
    user.totp_secret = secret
    user.totp_last_step = step
    codes = two_factor.new_recovery_codes(user)
    audit.record(action, target_type="user", target_id=user.id, actor=user)
    return codes


def replace_two_factor(
    user: User, *, password: str, current_code: str, secret: str, new_code: str
) -> list[str]:
    """Swap the authenticator app ``user`` already uses for ``secret``; return recovery codes.

    A signed-in session is not enough: a session left open or stolen could otherwise tie the
    account to someone else's phone for good. The current password and a code from the app in
    use (or a recovery code) are needed; wrong ones count towards the sign-in throttle. The new
    app's code is checked before the code in use, so a typing mistake there uses nothing up.
    """
    refused = "two_factor_change_refused"
    _require_current_password(user, password, refused)
    step = two_factor.matching_step(secret, new_code, None)
    if step is None:
        raise SecondFactorRefused()
    if not _use_second_factor(user, current_code):
        key, ip = _account_key(user.email), audit.client_ip()
        _refuse(key, ip, user, "wrong_second_factor", CurrentSecondFactorRefused(), refused)
    with unit_of_work(db.session):
        return _install_authenticator(user, secret, step, "two_factor_replaced")


def record_sign_in(user: SignsIn) -> None:
    """Note a completed sign-in (after any second factor) in the user and the audit log."""
    with unit_of_work(db.session):
        user.last_sign_in_at = utcnow()
        audit.record("sign_in", target_type="user", target_id=user.id, actor=user)


def sign_out(user: User) -> None:
    """End every session of ``user``: signing out here signs out everywhere."""
    with unit_of_work(db.session):
        user.end_all_sessions()
        audit.record("sign_out", target_type="user", target_id=user.id, actor=user)


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


def _require_current_password(user: User, password: str, refused: str) -> None:
    """Check the signed-in user's current password as a sign-in is checked.

    Refused while the account or address is throttled; a wrong one counts towards the sign-in
    throttle and is audited as ``refused``, so a session left open is no way to guess it.
    """
    ip = audit.client_ip()
    key = _account_key(user.email)
    if _throttled(key, ip):
        _refuse(key, ip, user, "throttled", _throttled_error(), refused)
    if not verify_password(user.password_hash, password):
        wrong = InvalidPassword(_l("รหัสผ่านปัจจุบันไม่ถูกต้อง"))
        _refuse(key, ip, user, "wrong_password", wrong, refused)


def change_password(user: User, current: str, new: str) -> None:
    """Replace the password after checking the current one; other sessions end."""
    _require_current_password(user, current, "password_change_refused")
    with unit_of_work(db.session):
        _replace_password(user, new)
        audit.record("password_changed", target_type="user", target_id=user.id, actor=user)


def update_user(
    user: User,
    *,
    actor: User,
    display_name: str,
    roles: Iterable[Role | str],
    department_codes: Iterable[str],
    active: bool,
    new_password: str = "",
) -> None:
    """``actor``'s (an admin's) change of an account; disabling it or a new password ends its
    sessions. Changes of roles the web pages may not make raise ``RoleChangeRefused``."""
    wanted_roles = parse_roles(roles)
    access_role_change(actor, user, wanted_roles)
    codes = sorted(set(department_codes))
    with unit_of_work(db.session) as session:
        if new_password:
            _replace_password(user, new_password)
        before = {"roles": sorted(user.roles), "active": user.active}
        user.display_name = display_name.strip() or user.display_name
        user.set_roles(wanted_roles)
        user.departments = _departments(session, codes)
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


def set_integrity_role(email: str, held: bool, via: str) -> bool:
    """Grant (``held``) or take away the ``integrity`` role; whether anything changed.

    The only way to grant it (the web pages cannot): run on the server by someone who may,
    ``via`` saying how (kept in the audit entry). An unknown e-mail raises ``InvalidAccount``.
    """
    user = user_by_email(email)
    if user is None:
        raise InvalidAccount(_l("ไม่พบบัญชีที่ใช้อีเมลนี้"))
    if user.has_role(Role.INTEGRITY) == held:
        return False
    before = sorted(user.roles)
    roles = user.roles | {Role.INTEGRITY} if held else user.roles - {Role.INTEGRITY}
    with unit_of_work(db.session):
        user.set_roles(roles)
        audit.record(
            "integrity_granted" if held else "integrity_revoked",
            target_type="user",
            target_id=user.id,
            detail={"before": before, "roles": sorted(roles), "via": via},
        )
    return True


def set_active(user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions at once."""
    with unit_of_work(db.session):
        user.active = active
        if not active:
            user.end_all_sessions()
        audit.record(
            "user_enabled" if active else "user_disabled", target_type="user", target_id=user.id
        )


def load_session_user(session_id: str) -> User | None:
    """The user behind a session's ``id:version``; ``None`` if the version is stale."""
    return load_session_account(User, session_id)


S = TypeVar("S", bound=SignsIn)


def load_session_account(model: type[S], session_id: str) -> S | None:
    """The ``model`` account behind a session's ``id:version``; None if disabled or stale."""
    account_id, _, version = session_id.partition(":")
    if not (account_id.isdigit() and version.isdigit()):
        return None
    account = db.session.get(model, int(account_id))
    if account is None or not account.active or account.session_version != int(version):
        return None
    return account
