"""The one intake service, and what residents can do with a case afterwards.

Every channel ends here: the web forms, the LINE conversation and officers keying in a phone
call all build a ``CaseSubmission`` and call ``submit_case``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app import audit, staging, uploads
from app.auth.models import User
from app.calendar import fiscal_year_be, local_date
from app.database import AnySession, unit_of_work
from app.deadlines import due_after
from app.extensions import db
from app.input import ascii_digits
from app.models import utcnow
from app.organizations.services import organization_profile
from app.statuses import CLOSED_STATUSES, Status
from app.tracking import (
    CASE_PREFIX,
    format_code,
    new_token_salt,
    next_sequence,
    normalise_code,
    token_matches,
)
from cases.errors import CaseNotFound, IntakeError
from cases.messages import notify_officers_of_new_case, notify_resident
from cases.models import (
    SELF_SERVICE_CHANNELS,
    Attachment,
    Case,
    CaseEvent,
    CaseKind,
    Category,
    Channel,
    EventType,
)
from cases.publication import drop_public_photos
from cases.status_access import status_path_token

PRIVACY_NOTICE_VERSION = "2026-11"
SUBJECT_MAX = 200
DETAILS_MIN, DETAILS_MAX = 10, 5000
STAGED_FILE_LIFETIME = timedelta(days=1)


@dataclass
class CaseSubmission:
    """What any channel hands to the intake service."""

    kind: str
    channel: str
    category_id: int | None
    subject: str
    details: str
    location_text: str = ""
    latitude: float | None = None
    longitude: float | None = None
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    line_user_id: str | None = None
    line_account: str = ""
    privacy_acknowledged: bool = False
    publication_allowed: bool = False
    received_at: datetime | None = None
    staging_token: str | None = None


@dataclass(frozen=True)
class SubmittedCase:
    """What a channel tells the resident after intake."""

    case_id: int
    code: str
    token: str


def normalise_phone(raw: str) -> str:
    """Digits only (Thai digits ๐-๙ read as 0-9), ``+66`` turned into a leading 0; '' if none."""
    digits = re.sub(r"\D", "", ascii_digits(raw or ""))
    if digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    return digits


def _check_text(sub: CaseSubmission, errors: dict[str, object]) -> None:
    sub.subject = " ".join((sub.subject or "").split())
    sub.details = (sub.details or "").strip()
    if len(sub.subject) < 3:
        errors["subject"] = _l("กรุณาระบุเรื่องอย่างน้อย 3 ตัวอักษร")
    elif len(sub.subject) > SUBJECT_MAX:
        errors["subject"] = _l("เรื่องยาวเกิน 200 ตัวอักษร")
    if len(sub.details) < DETAILS_MIN:
        errors["details"] = _l("กรุณาเล่ารายละเอียดอย่างน้อย 10 ตัวอักษร")
    elif len(sub.details) > DETAILS_MAX:
        errors["details"] = _l("รายละเอียดยาวเกิน 5,000 ตัวอักษร")
    sub.location_text = (sub.location_text or "").strip()[:300]


class ContactDetails(Protocol):
    """A resident's contact fields: a submission's, or a supporter's (``cases.subscribers``)."""

    contact_name: str
    contact_phone: str
    contact_email: str


def check_contact(sub: ContactDetails, errors: dict[str, object]) -> None:
    """Normalise ``sub``'s contact fields in place; add a message per wrong one to ``errors``."""
    sub.contact_name = " ".join((sub.contact_name or "").split())[:200]
    sub.contact_phone = normalise_phone(sub.contact_phone)
    if sub.contact_phone and not re.fullmatch(r"0\d{8,9}", sub.contact_phone):
        errors["contact_phone"] = _l("เบอร์โทรศัพท์ไม่ถูกต้อง (เช่น 0812345678)")
    sub.contact_email = (sub.contact_email or "").strip()
    if sub.contact_email:
        try:
            sub.contact_email = validate_email(
                sub.contact_email, check_deliverability=False
            ).normalized
        except EmailNotValidError:
            errors["contact_email"] = _l("อีเมลไม่ถูกต้อง")


def _check_location(sub: CaseSubmission, errors: dict[str, object]) -> None:
    if (sub.latitude is None) != (sub.longitude is None):
        errors["location_text"] = _l("พิกัดไม่ครบ กรุณาปักหมุดใหม่")
    elif (
        sub.latitude is not None
        and sub.longitude is not None
        and not (-90 <= sub.latitude <= 90 and -180 <= sub.longitude <= 180)
    ):
        errors["location_text"] = _l("พิกัดไม่ถูกต้อง")


def _check_classification(
    session: AnySession, sub: CaseSubmission, errors: dict[str, object]
) -> Category | None:
    if sub.kind not in CaseKind.__members__.values():
        errors["kind"] = _l("กรุณาเลือกประเภทเรื่อง")
    if sub.channel not in Channel.__members__.values():
        errors["channel"] = _l("ช่องทางไม่ถูกต้อง")
    category = session.get(Category, sub.category_id) if sub.category_id else None
    if category is None or not category.active:
        errors["category_id"] = _l("กรุณาเลือกหมวดเรื่อง")
        return None
    return category


def validate_submission(session: AnySession, sub: CaseSubmission) -> Category:
    """Normalise ``sub`` in place and return its category, or raise ``IntakeError``."""
    errors: dict[str, object] = {}
    category = _check_classification(session, sub, errors)
    _check_text(sub, errors)
    check_contact(sub, errors)
    _check_location(sub, errors)
    if sub.channel in SELF_SERVICE_CHANNELS and not sub.privacy_acknowledged:
        errors["privacy_acknowledged"] = _l("กรุณารับทราบประกาศความเป็นส่วนตัวก่อนส่ง")
    if sub.received_at is not None and sub.received_at > utcnow() + timedelta(minutes=5):
        errors["received_at"] = _l("วันที่รับเรื่องต้องไม่เป็นวันในอนาคต")
    if errors or category is None:
        raise IntakeError(errors)
    return category


def new_case_row(session: AnySession, sub: CaseSubmission, category: Category) -> Case:
    """A case row for ``sub`` with its tracking code and due dates, in the caller's transaction
    (``submit_case`` for intake; forwarding and the demo build cases the same way)."""
    received_at = sub.received_at or utcnow()
    received_day = local_date(received_at)
    fiscal_year = fiscal_year_be(received_day)
    sequence = next_sequence(session, CASE_PREFIX, fiscal_year)
    return Case(
        code=format_code(CASE_PREFIX, fiscal_year, sequence),
        fiscal_year=fiscal_year,
        sequence=sequence,
        kind=sub.kind,
        channel=sub.channel,
        status=Status.RECEIVED,
        category_id=category.id,
        department_id=category.department_id,
        subject=sub.subject,
        details=sub.details,
        location_text=sub.location_text,
        latitude=sub.latitude,
        longitude=sub.longitude,
        contact_name=sub.contact_name,
        contact_phone=sub.contact_phone,
        contact_email=sub.contact_email,
        line_user_id=sub.line_user_id,
        line_account=sub.line_account,
        privacy_notice_version=PRIVACY_NOTICE_VERSION if sub.privacy_acknowledged else "",
        publication_allowed=sub.publication_allowed,
        token_salt=new_token_salt(),
        received_at=received_at,
        acknowledge_due=due_after(received_at, category.acknowledge_days),
        answer_due=due_after(received_at, category.answer_days),
        last_activity_at=utcnow(),
    )


def submit_case(sub: CaseSubmission, entered_by: User | None = None) -> SubmittedCase:
    """Validate and store a case from any channel; return its tracking code and status token.

    Staged attachments (``sub.staging_token``) are attached, the first timeline entry is written
    and the resident's receipt is queued in the outbox, all in one transaction; so is, when an
    officer keys the case in (``entered_by``), the note and audit entry saying who did.
    """
    with unit_of_work(db.session) as session:
        category = validate_submission(session, sub)
        case = new_case_row(session, sub, category)
        session.add(case)
        session.flush()
        for attachment in staged_attachments(sub.staging_token):
            attachment.case_id = case.id
            attachment.staging_token = None
        session.add(received_event(case))
        if entered_by is not None:
            _record_officer_entry(session, case, entered_by)
        token = status_path_token(case)
        notify_resident(session, case, "case_received")
        notify_officers_of_new_case(session, case)
    return SubmittedCase(case_id=case.id, code=case.code, token=token)


def received_event(case: Case, body: str = "") -> CaseEvent:
    """The first timeline entry of a stored ``case``: received, when it really arrived (a letter
    keyed in on Monday was received on Friday)."""
    return CaseEvent(
        case_id=case.id,
        type=EventType.RECEIVED,
        is_public=True,
        to_status=Status.RECEIVED,
        created_at=case.received_at,
        body=body,
    )


def _record_officer_entry(session: AnySession, case: Case, officer: User) -> None:
    """Note on the timeline and in the audit log which officer keyed in ``case``."""
    session.add(
        CaseEvent(
            case_id=case.id,
            author_id=officer.id,
            type=EventType.NOTE,
            is_public=False,
            body=str(_l("บันทึกเรื่องเข้าระบบ")),
        )
    )
    audit.record("case_entered", target_type="case", target_id=case.id)


def new_staging_token() -> str:
    """A random key under which a form's or chat's accepted files wait for the submission."""
    return secrets.token_urlsafe(24)


def staged_attachments(staging_token: str | None) -> Sequence[Attachment]:
    """Files accepted under ``staging_token`` and not yet attached to a case."""
    if not staging_token:
        return []
    return db.session.scalars(
        select(Attachment)
        .where(Attachment.staging_token == staging_token, Attachment.case_id.is_(None))
        .order_by(Attachment.id)
    ).all()


def staged_bytes() -> int:
    """The bytes of every staged file (not yet part of a case, whatever its age)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(Attachment.size_bytes), 0)).where(
            Attachment.case_id.is_(None)
        )
    )
    return int(total or 0)


def init_app(app: Flask) -> None:
    """Count this track's staged files towards ``STAGING_MAX_TOTAL_MB``."""
    staging.register(app, staged_bytes)


def stage_attachment(
    staging_token: str,
    filename: str,
    data: bytes,
    keep_metadata: bool,
    client: str | None = None,
) -> Attachment:
    """Check one file and keep it under ``staging_token``; raise ``UploadRefused`` if refused.

    ``client`` (``app.staging.current_client()`` on the web) is held to the per-client limits.
    """
    config = current_app.config
    if len(staged_attachments(staging_token)) >= config["MAX_ATTACHMENTS"]:
        raise uploads.UploadRefused(filename, "too_many")
    checked = uploads.check_file(
        filename, data, uploads.UploadLimits.from_config(config), keep_metadata
    )
    with unit_of_work(db.session) as session:
        try:
            staging.reserve(client, len(checked.data))
        except staging.StagingLimitReached as limit:
            raise uploads.UploadRefused(filename, limit.reason) from limit
        attachment = _store(checked, staging_token=staging_token)
        session.add(attachment)
    return attachment


def _store(checked: uploads.CheckedFile, **owner: object) -> Attachment:
    """Write a checked file under a random name and return its row (``owner``: a staging token,
    or a case and purpose)."""
    stored_name, digest = uploads.write_file(current_app.config["UPLOAD_DIR"], checked.data)
    return Attachment(
        stored_name=stored_name,
        original_name=checked.download_name,
        content_type=checked.content_type,
        size_bytes=len(checked.data),
        sha256=digest,
        metadata_stripped=checked.metadata_stripped,
        **owner,
    )


def check_photos(files: Sequence[tuple[str, bytes]]) -> list[uploads.CheckedFile]:
    """Check photos added to a case after filing (an officer's after photos, a resident's photo
    on reopening) as intake checks files (content, size, pixels; metadata removed): photos only,
    at most ``MAX_ATTACHMENTS``. Raise ``UploadRefused`` for the first one refused."""
    config = current_app.config
    limits = uploads.UploadLimits.from_config(config)
    files = [(name, data) for name, data in files if name or data]
    if len(files) > config["MAX_ATTACHMENTS"]:
        raise uploads.UploadRefused(files[-1][0], "too_many")
    checked = []
    for filename, data in files:
        photo = uploads.check_file(filename, data, limits, keep_metadata=False)
        if photo.content_type not in uploads.IMAGE_FORMATS:
            raise uploads.UploadRefused(filename, "not_photo")
        checked.append(photo)
    return checked


def attach_photos(
    session: AnySession, case: Case, photos: Sequence[uploads.CheckedFile], purpose: str
) -> list[Attachment]:
    """Write checked ``photos`` and attach them to ``case`` in the caller's transaction."""
    added = [_store(photo, case_id=case.id, purpose=purpose) for photo in photos]
    session.add_all(added)
    return added


def discard_files(attachments: Sequence[Attachment]) -> None:
    """Remove the stored files of ``attachments`` (rolled back, abandoned or expired)."""
    for attachment in attachments:
        uploads.file_path(current_app.config["UPLOAD_DIR"], attachment.stored_name).unlink(
            missing_ok=True
        )


def purge_stale_staged_files(now: datetime | None = None) -> int:
    """Delete staged files never attached to a case (the form was abandoned); return how many."""
    cutoff = (now or utcnow()) - STAGED_FILE_LIFETIME
    with unit_of_work(db.session) as session:
        stale = session.scalars(
            select(Attachment).where(Attachment.case_id.is_(None), Attachment.created_at < cutoff)
        ).all()
        discard_files(stale)
        session.execute(delete(Attachment).where(Attachment.id.in_([a.id for a in stale])))
    return len(stale)


def anonymise_expired_cases(now: datetime | None = None) -> int:
    """Remove personal data of cases closed longer ago than ``RETENTION_DAYS``; return how many.

    The privacy notice promises this. Contact details, the LINE id, the exact position and the
    attachments go; the category, dates, status and texts stay for the statistics the ITA asks
    for. Safe to run daily: a case is anonymised once.
    """
    cutoff = (now or utcnow()) - timedelta(days=organization_profile().retention_days)
    finished_at = func.coalesce(Case.closed_at, Case.resolved_at)
    with unit_of_work(db.session) as session:
        expired = session.scalars(
            select(Case).where(
                Case.status.in_(CLOSED_STATUSES), Case.anonymised_at.is_(None), finished_at < cutoff
            )
        ).all()
        for case in expired:
            _anonymise(case)
    return len(expired)


def _anonymise(case: Case) -> None:
    drop_public_photos(case)
    discard_files(case.attachments)
    for attachment in list(case.attachments):
        db.session.delete(attachment)
    case.contact_name = case.contact_phone = case.contact_email = ""
    case.line_user_id = None
    case.latitude = case.longitude = None
    for subscriber in case.subscribers:  # supporters' and followers' details go with the case's
        subscriber.contact_name = subscriber.contact_phone = subscriber.contact_email = ""
        subscriber.line_user_id = None
    case.anonymised_at = utcnow()


def _case_by_code(code: str) -> Case | None:
    return db.session.scalar(select(Case).where(Case.code == normalise_code(code)))


def case_for_status_link(code: str, token: str) -> Case:
    """The case behind a status link; ``CaseNotFound`` if the code or the token is wrong.

    Always the case the link was made for, merged or not: a merged duplicate's resident sees
    their own record, never the text of the case it was merged into (another resident's).
    """
    case = _case_by_code(code)
    if case is None or not token_matches(
        current_app.config["SECRET_KEY"], case.code, case.token_salt, token
    ):
        raise CaseNotFound(code)
    return case


def case_for_code_and_phone(code: str, phone: str) -> Case:
    """The case whose code and contact phone both match; ``CaseNotFound`` otherwise."""
    case = _case_by_code(code)
    phone = normalise_phone(phone)
    if case is None or not phone or not secrets.compare_digest(case.contact_phone, phone):
        raise CaseNotFound(code)
    return case


def handling_case(case: Case) -> Case | None:
    """The case a merged duplicate is handled in (following merges); None if not merged.

    Only its status may be shown to the duplicate's resident: its subject, details and replies
    were written for someone else.
    """
    seen = {case.id}
    handled_in = None
    while case.merged_into_id and case.merged_into_id not in seen:
        merged = db.session.get(Case, case.merged_into_id)
        if merged is None:
            break
        seen.add(merged.id)
        handled_in = case = merged
    return handled_in


def photos_of(case: Case, purpose: str) -> list[Attachment]:
    """The photos of ``case`` added for ``purpose`` (the resident's, or the after photos)."""
    return [a for a in case.attachments if a.is_image and a.purpose == purpose]


def public_timeline(case: Case) -> list[CaseEvent]:
    """The timeline entries the resident may see (never internal notes)."""
    return [event for event in case.events if event.is_public]
