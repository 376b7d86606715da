"""Taking a report in: checks, the receipt, the first timeline entry, telling the officers.

The reporter is never identified by anything the request carries: no IP address, user agent or
LINE id is read here. The receipt (see ``integrity.receipts``) is the only way back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.auth.models import Role, User
from app.calendar import fiscal_year_be, local_date
from app.database import AnySession, unit_of_work
from app.deadlines import due_after
from app.extensions import db
from app.models import utcnow
from app.outbox import (
    Notification,
    enqueue,
    staff_recipients,
    users_with_role,
)
from app.tracking import format_code, next_sequence
from integrity import receipts
from integrity.errors import ReportRefused
from integrity.evidence import staged_evidence
from integrity.models import (
    REPORT_PREFIX,
    IntegrityMessage,
    IntegrityReport,
    MessageType,
    ReportChannel,
    ReportKind,
)

# Thai working days; the ITA asks for an acknowledgement within days and an answer within 30.
ACKNOWLEDGE_DAYS = 3


ANSWER_DAYS = 30


DETAILS_MIN, DETAILS_MAX = 10, 10_000


SHORT_MAX = 300


# How the audit log names an integrity report.
REPORT_TARGET = "integrity_report"


@dataclass
class ReportSubmission:
    """What the web form or an integrity officer's entry hands to ``submit_report``."""

    kind: str
    details: str
    about: str = ""
    occurred: str = ""
    location: str = ""
    anonymous: bool = True
    reporter_name: str = ""
    reporter_contact: str = ""
    news_email: str = ""
    channel: str = ReportChannel.WEB
    received_at: datetime | None = None
    staging_token: str | None = None


@dataclass(frozen=True)
class SubmittedReport:
    """What the reporter is given once: the receipt, and what the proof of submission shows."""

    report_id: int
    code: str
    kind: str
    receipt: receipts.Receipt
    digest: str
    received_at: datetime


def _clean_line(value: str) -> str:
    return " ".join((value or "").split())[:SHORT_MAX]


def validate_report(sub: ReportSubmission) -> None:
    """Normalise ``sub`` in place; raise ``ReportRefused`` with a message per wrong field."""
    errors: dict[str, object] = {}
    if sub.kind not in set(ReportKind):
        errors["kind"] = _l("กรุณาเลือกประเภทเรื่อง")
    if sub.channel not in set(ReportChannel):
        errors["channel"] = _l("ช่องทางไม่ถูกต้อง")
    sub.details = (sub.details or "").strip()
    if len(sub.details) < DETAILS_MIN:
        errors["details"] = _l("กรุณาเล่าสิ่งที่เกิดขึ้นอย่างน้อย 10 ตัวอักษร")
    elif len(sub.details) > DETAILS_MAX:
        errors["details"] = _l("รายละเอียดยาวเกิน 10,000 ตัวอักษร")
    sub.about, sub.occurred, sub.location = map(
        _clean_line, (sub.about, sub.occurred, sub.location)
    )
    if sub.anonymous:
        # Anonymous means nothing about the reporter is kept, even if typed before choosing.
        sub.reporter_name = sub.reporter_contact = ""
    sub.reporter_name = _clean_line(sub.reporter_name)
    sub.reporter_contact = _clean_line(sub.reporter_contact)
    sub.news_email = (sub.news_email or "").strip()
    if sub.news_email:
        try:
            sub.news_email = validate_email(sub.news_email, check_deliverability=False).normalized
        except EmailNotValidError:
            errors["news_email"] = _l("อีเมลไม่ถูกต้อง")
    if sub.received_at is not None and sub.received_at > utcnow() + timedelta(minutes=5):
        errors["received_at"] = _l("วันที่รับเรื่องต้องไม่เป็นวันในอนาคต")
    if errors:
        raise ReportRefused(errors)


def content_digest(sub: ReportSubmission, file_digests: Iterable[str]) -> str:
    """SHA-256 of what was sent (text fields and each file's SHA-256), for the proof."""
    canonical = json.dumps(
        {
            "kind": sub.kind,
            "about": sub.about,
            "details": sub.details,
            "occurred": sub.occurred,
            "location": sub.location,
            "files": sorted(file_digests),
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _unused_receipt(session: AnySession) -> receipts.Receipt:
    """A receipt whose lookup id no report has (a million ids; collisions are retried)."""
    for _attempt in range(50):
        receipt = receipts.new_receipt()
        taken = session.scalar(
            select(IntegrityReport.id).where(IntegrityReport.receipt_lookup == receipt.lookup)
        )
        if taken is None:
            return receipt
    raise RuntimeError("no free receipt lookup id after 50 attempts")


def _new_report(
    session: AnySession, sub: ReportSubmission
) -> tuple[IntegrityReport, receipts.Receipt]:
    received_at = sub.received_at or utcnow()
    received_day = local_date(received_at)
    fiscal_year = fiscal_year_be(received_day)
    sequence = next_sequence(session, REPORT_PREFIX, fiscal_year)
    receipt = _unused_receipt(session)
    report = IntegrityReport(
        code=format_code(REPORT_PREFIX, fiscal_year, sequence),
        fiscal_year=fiscal_year,
        sequence=sequence,
        kind=sub.kind,
        channel=sub.channel,
        about=sub.about,
        details=sub.details,
        occurred=sub.occurred,
        location=sub.location,
        anonymous=sub.anonymous,
        reporter_name=sub.reporter_name,
        reporter_contact=sub.reporter_contact,
        news_email=sub.news_email or None,
        receipt_lookup=receipt.lookup,
        receipt_hash=receipts.hash_secret(receipt),
        received_at=received_at,
        acknowledge_due=due_after(received_at, ACKNOWLEDGE_DAYS),
        answer_due=due_after(received_at, ANSWER_DAYS),
        last_activity_at=utcnow(),
    )
    return report, receipt


def submit_report(sub: ReportSubmission, entered_by: User | None = None) -> SubmittedReport:
    """Validate and store a report; return the receipt (shown once, never stored in clear).

    Staged evidence is attached and the first timeline entry written in one transaction; so is,
    when an integrity officer keys in a report that came by post or in person (``entered_by``),
    the audit entry saying who did.
    """
    with unit_of_work(db.session) as session:
        validate_report(sub)
        report, receipt = _new_report(session, sub)
        session.add(report)
        session.flush()
        staged = staged_evidence(sub.staging_token)
        for attachment in staged:
            attachment.report_id = report.id
            attachment.staging_token = None
        report.content_digest = content_digest(sub, (a.sha256 for a in staged))
        report.messages.append(IntegrityMessage(type=MessageType.RECEIVED))
        if entered_by is not None:
            detail = {"channel": sub.channel}
            audit.record(
                "integrity_report_entered",
                target_type=REPORT_TARGET,
                target_id=report.id,
                detail=detail,
            )
        notify_integrity_officers(session)  # "a new report arrived": no content, no reporter
    return SubmittedReport(
        report_id=report.id,
        code=report.code,
        kind=report.kind,
        receipt=receipt,
        digest=report.content_digest or "",
        received_at=report.received_at,
    )


def notify_integrity_officers(session: AnySession) -> list[Notification]:
    """Tell every integrity officer that a new report arrived: no content, no reporter details."""
    officers = users_with_role(session, Role.INTEGRITY)
    recipients = [recipient for _user, recipient in staff_recipients(session, officers)]
    return enqueue(session, "integrity_report_received", recipients)
