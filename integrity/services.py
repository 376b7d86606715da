"""What the integrity track does: intake, the reporter's way back, messages, keys, retention.

The reporter is never identified by anything the request carries: no IP address, user agent or
LINE id is read here. The receipt (see ``integrity.receipts``) is the only way back.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import column, delete, func, select, table, update
from sqlalchemy.orm import Session

from app import audit, staging, uploads
from app.auth.models import Role, User
from app.calendar import bangkok_midnight, fiscal_year_be, local_date
from app.database import AnySession, unit_of_work
from app.deadlines import due_after
from app.extensions import db
from app.models import utcnow
from app.outbox import (
    DeliveryChannel,
    Notification,
    Recipient,
    enqueue,
    register_private_recipient,
    staff_recipients,
    users_with_role,
)
from app.tracking import format_code, next_sequence
from integrity import crypto, receipts
from integrity.errors import ReceiptNotAccepted, ReportNotFound, ReportRefused
from integrity.models import (
    REPORT_PREFIX,
    IntegrityAttachment,
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
MESSAGE_MAX = 5_000
STAGED_FILE_LIFETIME = timedelta(days=1)
NEWS_TEMPLATE = "integrity_news"
# How the audit log names an integrity report.
REPORT_TARGET = "integrity_report"


@dataclass(frozen=True)
class HandlingStandard:
    """What the corruption track promises, as published on the service standards page."""

    acknowledge_days: int
    answer_days: int
    receipt_digits: int


def handling_standard() -> HandlingStandard:
    """The track's time limits (working days) and the length of a reporter's receipt."""
    return HandlingStandard(ACKNOWLEDGE_DAYS, ANSWER_DAYS, receipts.RECEIPT_DIGITS)


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


@dataclass
class EvidenceResult:
    """Files accepted and refused when the reporter adds evidence."""

    accepted: int = 0
    refused: list[uploads.UploadRefused] = field(default_factory=list)


# --- intake -------------------------------------------------------------------------------


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


# --- evidence -----------------------------------------------------------------------------


def _evidence_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "integrity"


def new_staging_token() -> str:
    """A random key under which a form's accepted files wait for the submission."""
    return secrets.token_urlsafe(24)


def staged_evidence(staging_token: str | None) -> Sequence[IntegrityAttachment]:
    """Files accepted under ``staging_token`` and not yet attached to a report."""
    if not staging_token:
        return []
    return db.session.scalars(
        select(IntegrityAttachment)
        .where(
            IntegrityAttachment.staging_token == staging_token,
            IntegrityAttachment.report_id.is_(None),
        )
        .order_by(IntegrityAttachment.id)
    ).all()


def _store_evidence(
    filename: str,
    data: bytes,
    already: int,
    added_by: str = "reporter",
    staged_by: str | None = None,
    staged: bool = False,
) -> IntegrityAttachment:
    """Check a file like any attachment, then write it encrypted; raise ``UploadRefused``.

    A ``staged`` file is held to the staging limits: the total, and those of the client
    ``staged_by`` (``None``: no per-client limit).
    """
    config = current_app.config
    if already >= config["MAX_ATTACHMENTS"]:
        raise uploads.UploadRefused(filename, "too_many")
    # Photo metadata (GPS, camera serial) could point at the reporter: always stripped here.
    checked = uploads.check_file(filename, data, uploads.UploadLimits.from_config(config), False)
    if staged:
        try:
            staging.reserve(staged_by, len(checked.data))
        except staging.StagingLimitReached as limit:
            raise uploads.UploadRefused(filename, limit.reason) from limit
    stored_name, _ = uploads.write_file(str(_evidence_dir()), crypto.encrypt(checked.data))
    return IntegrityAttachment(
        stored_name=stored_name,
        original_name=checked.download_name,
        content_type=checked.content_type,
        size_bytes=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        added_by=added_by,
    )


def staged_evidence_bytes() -> int:
    """The bytes of every staged evidence file (not yet part of a report, whatever its age)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(IntegrityAttachment.size_bytes), 0)).where(
            IntegrityAttachment.report_id.is_(None)
        )
    )
    return int(total or 0)


def stage_evidence(
    staging_token: str, filename: str, data: bytes, client: str | None = None
) -> IntegrityAttachment:
    """Keep one checked, encrypted file under ``staging_token`` until the report is sent.

    ``client`` is held to the per-client staging limits (``app.staging``): a keyed hash kept
    only in the rate-limit storage for a day, never with the report.
    """
    already = len(staged_evidence(staging_token))
    attachment = _store_evidence(filename, data, already, staged_by=client, staged=True)
    attachment.staging_token = staging_token
    db.session.add(attachment)
    db.session.commit()
    return attachment


def evidence_bytes(attachment: IntegrityAttachment) -> bytes:
    """The decrypted content of an evidence file; ``ReportNotFound`` if it is gone."""
    path = uploads.file_path(str(_evidence_dir()), attachment.stored_name)
    if not path.exists():
        raise ReportNotFound(attachment.id)
    return crypto.decrypt(path.read_bytes())


def _delete_files(attachments: Iterable[IntegrityAttachment]) -> int:
    count = 0
    for attachment in attachments:
        uploads.file_path(str(_evidence_dir()), attachment.stored_name).unlink(missing_ok=True)
        count += 1
    return count


# --- the reporter's way back -------------------------------------------------------------


def report_for_receipt(raw: str) -> IntegrityReport:
    """The report a receipt opens; ``ReceiptNotAccepted`` otherwise.

    One indexed lookup and one argon2id verification, whatever the number of reports. Nothing
    is counted or locked on the report: a wrong secret for an existing lookup id must look
    exactly like an unknown one, and must not let anyone who knows the lookup id keep the
    reporter out. Guessing is throttled per client instead (``integrity.throttle``).
    """
    receipt = receipts.parse(raw)
    if receipt is None:
        raise ReceiptNotAccepted()
    report = db.session.scalar(
        select(IntegrityReport).where(IntegrityReport.receipt_lookup == receipt.lookup)
    )
    if not receipts.secret_matches(report.receipt_hash if report else None, receipt):
        raise ReceiptNotAccepted()
    assert report is not None  # a match needs a stored hash
    return report


def _session_digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode()).hexdigest()


def _set_reporter_session(report: IntegrityReport, digest: str | None) -> None:
    # A plain UPDATE: opening or leaving is not an edit of the report, so it must not bump the
    # version an integrity officer may be working against.
    db.session.execute(
        update(IntegrityReport)
        .where(IntegrityReport.id == report.id)
        .values(reporter_session=digest)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.expire(report, ["reporter_session"])  # read again from the row


def open_reporter_session(report: IntegrityReport) -> str:
    """Start the reporter's browser session; return its nonce (for the signed cookie).

    Only the nonce's SHA-256 is stored. Opening again replaces it, ending an earlier session.
    """
    nonce = secrets.token_urlsafe(32)
    _set_reporter_session(report, _session_digest(nonce))
    return nonce


def end_reporter_session(report: IntegrityReport) -> None:
    """ "Leave": the session ends on the server, so a copy of the cookie opens nothing."""
    _set_reporter_session(report, None)


def report_for_reporter(report_id: int | None, nonce: str | None) -> IntegrityReport:
    """The report a reporter opened with a receipt in this browser session.

    ``ReportNotFound`` unless the session's nonce is the report's current one.
    """
    report = db.session.get(IntegrityReport, report_id) if report_id else None
    if report is None or report.purged_at is not None or not nonce:
        raise ReportNotFound(report_id)
    stored = report.reporter_session or ""
    if not stored or not secrets.compare_digest(stored, _session_digest(nonce)):
        raise ReportNotFound(report_id)
    return report


def reporter_timeline(report: IntegrityReport) -> list[IntegrityMessage]:
    """What the reporter sees: messages either way and changes of status, never notes."""
    return [message for message in report.messages if message.reporter_visible]


def mark_read_by_reporter(report: IntegrityReport) -> None:
    """The reporter has seen the latest news (the next news may send an email again)."""
    if report.unread_by_reporter:
        report.unread_by_reporter = False
        db.session.commit()


def check_message(body: str) -> str:
    """The message trimmed; ``ReportRefused`` if empty or too long."""
    body = (body or "").strip()
    if not body:
        raise ReportRefused({"body": _l("กรุณาพิมพ์ข้อความ")})
    if len(body) > MESSAGE_MAX:
        raise ReportRefused({"body": _l("ข้อความยาวเกิน 5,000 ตัวอักษร")})
    return body


def add_reporter_message(report: IntegrityReport, body: str) -> IntegrityMessage:
    """The reporter writes to the integrity officers, still anonymous."""
    message = IntegrityMessage(type=MessageType.FROM_REPORTER, body=check_message(body))
    report.messages.append(message)
    report.last_activity_at = utcnow()
    db.session.commit()
    return message


def add_reporter_evidence(
    report: IntegrityReport, files: Iterable[tuple[str, bytes]]
) -> EvidenceResult:
    """Attach more evidence to ``report``; files that fail the checks are listed, not stored."""
    result = EvidenceResult()
    count = len(report.attachments)
    for filename, data in files:
        try:
            attachment = _store_evidence(filename, data, count)
        except uploads.UploadRefused as refusal:
            result.refused.append(refusal)
            continue
        report.attachments.append(attachment)
        count += 1
        result.accepted += 1
    if result.accepted:
        report.messages.append(IntegrityMessage(type=MessageType.EVIDENCE_ADDED))
        report.last_activity_at = utcnow()
    db.session.commit()
    return result


def queue_news(report: IntegrityReport) -> None:
    """Mark news for the reporter; tell their optional address that there is news, no more.

    One email per batch of unread news: no code, no content, no link to the report. The outbox
    row names only the report: the address stays encrypted in the report and is decrypted by
    ``news_recipient`` while the worker sends the email, so a database dump does not show who
    reported.
    """
    if report.unread_by_reporter:
        return
    report.unread_by_reporter = True
    if report.news_email:
        private = Recipient(DeliveryChannel.EMAIL, "")  # resolved by ``news_recipient``
        enqueue(db.session, NEWS_TEMPLATE, [private], {"report_id": report.id})


def notify_integrity_officers(session: AnySession) -> list[Notification]:
    """Tell every integrity officer that a new report arrived: no content, no reporter details."""
    officers = users_with_role(session, Role.INTEGRITY)
    recipients = [recipient for _user, recipient in staff_recipients(session, officers)]
    return enqueue(session, "integrity_report_received", recipients)


def news_recipient(session: Session, context: Mapping[str, Any]) -> str | None:
    """The reporter's address for a queued "there is news" email; None once it is purged."""
    report_id = context.get("report_id")
    report = session.get(IntegrityReport, report_id) if isinstance(report_id, int) else None
    return report.news_email if report is not None else None


def init_app(app: Flask) -> None:
    """Plug this track into the kernel: news email addresses, staged files in the total."""
    register_private_recipient(app, NEWS_TEMPLATE, news_recipient)
    staging.register(app, staged_evidence_bytes)


def send_to_reporter(report: IntegrityReport, body: str, staff_id: int | None) -> IntegrityMessage:
    """An integrity officer writes to the anonymous reporter (seen with the receipt)."""
    message = IntegrityMessage(
        type=MessageType.TO_REPORTER, body=check_message(body), staff_id=staff_id
    )
    report.messages.append(message)
    report.last_activity_at = utcnow()
    queue_news(report)
    db.session.commit()
    return message


# --- keys and retention -------------------------------------------------------------------

# Every encrypted column, by table: what ``rotate_keys`` re-encrypts.
ENCRYPTED_COLUMNS = {
    "integrity_reports": (
        "about",
        "details",
        "occurred",
        "location",
        "reporter_name",
        "reporter_contact",
        "news_email",
    ),
    "integrity_messages": ("body",),
    "integrity_attachments": ("original_name",),
}


def rotate_keys() -> tuple[int, int]:
    """Re-encrypt every value and evidence file under the first key; return (values, files).

    Works on the raw tokens (plain ``Text`` columns here), so nothing is decrypted into the
    ORM and rows are rewritten only where a value exists.
    """
    session = db.session
    values = 0
    for table_name, names in ENCRYPTED_COLUMNS.items():
        raw = table(table_name, column("id"), *(column(name) for name in names))
        for row in session.execute(select(raw)).all():
            changes = {
                name: crypto.rotate(token.encode()).decode()
                for name, token in row._mapping.items()
                if name != "id" and token is not None
            }
            if changes:
                session.execute(update(raw).where(raw.c.id == row.id).values(**changes))
                values += len(changes)
    files = 0
    for attachment in session.scalars(select(IntegrityAttachment)):
        path = uploads.file_path(str(_evidence_dir()), attachment.stored_name)
        if path.exists():
            temporary = path.with_suffix(".rotating")
            temporary.write_bytes(crypto.rotate(path.read_bytes()))
            temporary.replace(path)
            files += 1
    session.commit()
    return values, files


@dataclass(frozen=True)
class PurgeResult:
    """What ``purge_expired`` removed."""

    reports: int
    files: int


def purge_expired(now: datetime | None = None) -> PurgeResult:
    """Purge the content of reports closed longer ago than the retention period.

    Kind, channel, status, outcome and dates stay, so the counts of past rounds do not change;
    everything typed, every file, every message and the receipt go. Also removes evidence of
    forms never sent. Idempotent.
    """
    now = now or utcnow()
    session = db.session
    cutoff = now - timedelta(days=current_app.config["INTEGRITY_RETENTION_DAYS"])
    expired = session.scalars(
        select(IntegrityReport).where(
            IntegrityReport.closed_at < cutoff, IntegrityReport.purged_at.is_(None)
        )
    ).all()
    files = 0
    for report in expired:
        files += _delete_files(report.attachments)
        session.execute(
            delete(IntegrityAttachment).where(IntegrityAttachment.report_id == report.id)
        )
        report.messages.clear()
        for name in ENCRYPTED_COLUMNS["integrity_reports"]:
            setattr(report, name, None)
        report.content_digest = None
        report.receipt_hash = ""
        report.reporter_session = None
        report.purged_at = now
    stale = session.scalars(
        select(IntegrityAttachment).where(
            IntegrityAttachment.report_id.is_(None),
            IntegrityAttachment.created_at < now - STAGED_FILE_LIFETIME,
        )
    ).all()
    files += _delete_files(stale)
    session.execute(
        delete(IntegrityAttachment).where(IntegrityAttachment.id.in_([a.id for a in stale]))
    )
    session.commit()
    return PurgeResult(reports=len(expired), files=files)


# --- counts for the reports capability ---------------------------------------------------


def counts_by(period_start: date, period_end: date) -> dict[str, Any]:
    """Counts of reports received from ``period_start`` up to and including ``period_end``.

    Dates are Thai calendar days. Returns plain dicts only (no content, never a code):
    ``{"total": n, "misconduct": n, "budget": n, "by_kind": {...}, "by_status": {...},
    "by_outcome": {...}, "by_channel": {...}}``. Purged reports are still counted.
    """
    # Counted in SQL by every combination (a few dozen rows at most), then added up per field.
    dimensions = (
        IntegrityReport.kind,
        IntegrityReport.status,
        IntegrityReport.outcome,
        IntegrityReport.channel,
    )
    groups = db.session.execute(
        select(*dimensions, func.count())
        .where(
            IntegrityReport.received_at >= bangkok_midnight(period_start),
            IntegrityReport.received_at < bangkok_midnight(period_end + timedelta(days=1)),
        )
        .group_by(*dimensions)
    ).all()
    fields = ("kind", "status", "outcome", "channel")
    by: dict[str, Counter[str]] = {name: Counter() for name in fields}
    for *values, count in groups:
        for name, value in zip(fields, values, strict=True):
            if value:  # a report without an outcome yet is not counted under any outcome
                by[name][value] += count
    total = sum(by["kind"].values())
    budget = sum(n for kind, n in by["kind"].items() if ReportKind(kind).is_budget)
    return {
        "total": total,
        "misconduct": total - budget,
        "budget": budget,
        **{f"by_{name}": dict(counter) for name, counter in by.items()},
    }
