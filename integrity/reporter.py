"""The reporter's way back: the receipt, a short session, the timeline, messages both ways and
the "there is news" email whose address never sits in the outbox."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.database import unit_of_work
from app.extensions import db
from app.models import utcnow
from app.outbox import (
    DeliveryChannel,
    Recipient,
    enqueue,
)
from integrity import receipts
from integrity.errors import ReceiptNotAccepted, ReportNotFound, ReportRefused
from integrity.models import (
    IntegrityMessage,
    IntegrityReport,
    MessageType,
)

MESSAGE_MAX = 5_000


NEWS_TEMPLATE = "integrity_news"


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
    db.session.expire(report, ["reporter_session"])  # read again from the row


def open_reporter_session(report: IntegrityReport) -> str:
    """Start the reporter's browser session; return its nonce (for the signed cookie).

    Only the nonce's SHA-256 is stored. Opening again replaces it, ending an earlier session.
    """
    nonce = secrets.token_urlsafe(32)
    with unit_of_work(db.session):
        _set_reporter_session(report, _session_digest(nonce))
    return nonce


def end_reporter_session(report: IntegrityReport) -> None:
    """ "Leave": the session ends on the server, so a copy of the cookie opens nothing."""
    with unit_of_work(db.session):
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
        with unit_of_work(db.session):
            report.unread_by_reporter = False


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
    with unit_of_work(db.session):
        report.messages.append(message)
        report.last_activity_at = utcnow()
    return message


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


def news_recipient(session: Session, context: Mapping[str, Any]) -> str | None:
    """The reporter's address for a queued "there is news" email; None once it is purged."""
    report_id = context.get("report_id")
    report = session.get(IntegrityReport, report_id) if isinstance(report_id, int) else None
    return report.news_email if report is not None else None


def send_to_reporter(report: IntegrityReport, body: str, staff_id: int | None) -> IntegrityMessage:
    """An integrity officer writes to the anonymous reporter (seen with the receipt)."""
    message = IntegrityMessage(
        type=MessageType.TO_REPORTER, body=check_message(body), staff_id=staff_id
    )
    with unit_of_work(db.session):
        report.messages.append(message)
        report.last_activity_at = utcnow()
        queue_news(report)
    return message
