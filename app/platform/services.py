"""Platform accounts and the invitations of each body's first admin.

Entry points commit once; a platform account is made only on the server (``flask users
create-platform-admin``, ``create-oversight``) and never by a web page, so no one raises their
own rights from a browser.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import geothai
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app import audit
from app.auth import two_factor
from app.auth.models import Role, User, UserRole
from app.auth.passwords import hash_password, password_problem
from app.auth.services import (
    create_user,
    load_session_account,
    load_session_user,
    normalise_email,
)
from app.database import unit_of_work
from app.extensions import db
from app.models import utcnow
from app.organizations.models import Organization
from app.organizations.scope import current_organization_id, organization_scope, platform_scope
from app.organizations.services import organization_base_url
from app.platform.errors import InvitationRefused, InvitationSpent, PlatformError
from app.platform.models import SESSION_PREFIX, AccountKind, Invitation, PlatformAccount

# How long an invitation link works: long enough to reach a body's clerk over a weekend.
INVITATION_HOURS = 72
INVITATION_PATH = "/staff/invitation/"


def platform_account_by_email(email: str) -> PlatformAccount | None:
    """The platform account with ``email`` (case-insensitive), if any."""
    return db.session.scalar(
        select(PlatformAccount).where(PlatformAccount.email == normalise_email(email))
    )


def _checked_email(email: str) -> str:
    try:
        return validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise PlatformError(_l("อีเมลไม่ถูกต้อง")) from exc


def _checked_area(province: str | None, district: str | None) -> tuple[str, str | None]:
    """An oversight account's province and optional district, checked against ``geothai``."""
    if district:
        if geothai.district(district) is None:
            raise PlatformError(_l("ไม่พบรหัสอำเภอ %(code)s", code=district))
        province = province or district[:2]
        if district[:2] != province:
            raise PlatformError(_l("อำเภอที่ระบุไม่ได้อยู่ในจังหวัด %(code)s", code=province))
    if not province or geothai.province(province) is None:
        raise PlatformError(_l("ไม่พบรหัสจังหวัด %(code)s", code=province or "-"))
    return province, district or None


def create_platform_account(
    email: str,
    display_name: str,
    password: str,
    kind: AccountKind,
    province: str | None = None,
    district: str | None = None,
    totp_secret: str | None = None,
) -> PlatformAccount:
    """Make a platform administrator, or an oversight account of a province or district.

    An administrator gets an authenticator secret (``totp_secret``, else a new one) that the
    command shows once. Audited in the platform's log, whatever scope the caller runs in.
    """
    with platform_scope(), unit_of_work(db.session):
        account = _create_platform_account(email, display_name, password, kind, province, district)
        if account.needs_two_factor:
            account.totp_secret = totp_secret or two_factor.new_secret()
    return account


def reset_two_factor(email: str) -> PlatformAccount:
    """Give a platform administrator a new authenticator secret (a lost phone); sessions end."""
    with platform_scope(), unit_of_work(db.session):
        account = platform_account_by_email(email)
        if account is None or not account.needs_two_factor:
            raise PlatformError(_l("ไม่พบผู้ดูแลแพลตฟอร์มที่ใช้อีเมลนี้"))
        account.totp_secret, account.totp_last_step = two_factor.new_secret(), None
        account.end_all_sessions()
        audit.record("two_factor_reset", target_type="platform_account", target_id=account.id)
    return account


def _create_platform_account(
    email: str,
    display_name: str,
    password: str,
    kind: AccountKind,
    province: str | None,
    district: str | None,
) -> PlatformAccount:
    email = _checked_email(email)
    if platform_account_by_email(email) is not None:
        raise PlatformError(_l("มีบัญชีแพลตฟอร์มที่ใช้อีเมลนี้อยู่แล้ว"))
    problem = password_problem(password)
    if problem is not None:
        raise PlatformError(problem)
    account = PlatformAccount(
        email=email,
        display_name=display_name.strip() or email,
        password_hash=hash_password(password),
        kind=kind,
        session_version=1,
    )
    if kind == AccountKind.OVERSIGHT:
        account.province_code, account.district_code = _checked_area(province, district)
    db.session.add(account)
    db.session.flush()
    audit.record(
        "platform_account_created",
        target_type="platform_account",
        target_id=account.id,
        detail={"kind": kind.value, "area": account.district_code or account.province_code},
    )
    return account


def load_platform_session(session_id: str) -> PlatformAccount | None:
    """The account behind a platform session's ``platform:id:version``; None if stale."""
    return load_session_account(PlatformAccount, session_id.removeprefix(SESSION_PREFIX))


def load_any_session(session_id: str, on_platform: bool) -> User | PlatformAccount | None:
    """Whoever a session cookie names: a platform account anywhere (so a body's pages can
    refuse it), a body's user only on that body's pages (never on the platform's)."""
    if session_id.startswith(SESSION_PREFIX):
        return load_platform_session(session_id)
    return None if on_platform else load_session_user(session_id)


def _code_hash(code: str) -> str:
    # Invitation codes are 32 random bytes: a plain digest is enough (nothing to guess).
    return hashlib.sha256(code.strip().encode()).hexdigest()


def _has_admin(organization: Organization) -> bool:
    with organization_scope(organization.id):
        found = db.session.scalar(
            select(func.count(User.id))
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.ADMIN.value, User.active.is_(True))
        )
    return bool(found)


def invite_first_admin(
    actor: PlatformAccount, organization: Organization, email: str, display_name: str
) -> str:
    """Invite ``email`` to become ``organization``'s first admin; return the link (shown once).

    Refused when the body already has an active admin (its admins manage its staff from then
    on), when the body is suspended, or for a platform account's own address: a platform
    administrator does not make itself a member of a body. An earlier unused invitation of the
    body stops working. Audited in the platform's log and in the body's.
    """
    email = _checked_email(email)
    if not organization.active:
        raise PlatformError(_l("หน่วยงานนี้ถูกระงับอยู่ เปิดใช้งานก่อนจึงเชิญผู้ดูแลได้"))
    if platform_account_by_email(email) is not None:
        raise PlatformError(_l("อีเมลนี้เป็นบัญชีแพลตฟอร์ม เชิญเป็นผู้ดูแลของหน่วยงานไม่ได้"))
    if _has_admin(organization):
        raise PlatformError(_l("หน่วยงานนี้มีผู้ดูแลระบบแล้ว ผู้ดูแลของหน่วยงานเป็นผู้เพิ่มบัญชีต่อไป"))
    with unit_of_work(db.session):
        now = utcnow()
        db.session.execute(
            update(Invitation)
            .where(Invitation.organization_id == organization.id, Invitation.used_at.is_(None))
            .values(expires_at=now)
        )
        code = secrets.token_urlsafe(32)
        db.session.add(
            Invitation(
                organization_id=organization.id,
                email=email,
                display_name=display_name.strip() or email,
                code_hash=_code_hash(code),
                expires_at=now + timedelta(hours=INVITATION_HOURS),
                invited_by=actor.id,
            )
        )
        detail = {"email": email, "organization": organization.slug}
        audit.record(
            "first_admin_invited",
            target_type="organization",
            target_id=organization.id,
            detail=detail,
        )
        with organization_scope(organization.id):
            audit.record(
                "first_admin_invited",
                target_type="organization",
                target_id=organization.id,
                detail=detail,
            )
            link = organization_base_url() + INVITATION_PATH + code
    return link


def open_invitation(code: str) -> Invitation:
    """The current body's invitation with ``code``, still unused and in time, else a refusal."""
    invitation = db.session.scalar(
        select(Invitation).where(
            Invitation.code_hash == _code_hash(code),
            Invitation.organization_id == current_organization_id(db.session),
        )
    )
    if invitation is None:
        raise InvitationRefused()
    if invitation.used_at is not None or invitation.expires_at <= utcnow():
        raise InvitationSpent()
    return invitation


def accept_invitation(code: str, display_name: str, password: str) -> User:
    """Take up an invitation: the body's admin account, with the password chosen now.

    The code is used up by one conditional UPDATE whose row count decides, in the same
    transaction as the account: of two requests at once exactly one makes it, and a refused
    password or a taken e-mail leaves the code unused.
    """
    invitation = open_invitation(code)
    problem = password_problem(password)
    if problem is not None:
        raise PlatformError(problem)
    now = utcnow()
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.used_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        raise InvitationSpent()
    try:
        return create_user(
            invitation.email, display_name or invitation.display_name, password, [Role.ADMIN]
        )
    except Exception:
        db.session.rollback()
        raise
