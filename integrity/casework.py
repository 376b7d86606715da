"""Integrity officers' work on reports: access, the queue, status and outcome, messages, notes.

Every function takes the signed-in user and checks the ``integrity`` role itself (besides the
route guards), so no other code path reaches report content. Every view and every change is
written to the audit log in the same transaction; integrity officers see who looked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select

from app import audit
from app.audit import AuditEntry
from app.auth.models import User
from app.calendar import today_in_thailand
from app.database import unit_of_work
from app.deadlines import overdue_condition
from app.extensions import db
from app.models import utcnow
from app.permissions import Permission, requires
from app.queue import (
    QueueResult,
    SortOrder,
    keyset_page,
    status_tab_conditions,
    status_tab_counts,
)
from app.statuses import Status
from app.tracking import normalise_code
from app.workflow import AppliedTransition, MissingTransitionField, change_transaction
from integrity import evidence, intake, reporter
from integrity.errors import ReportNotFound, ReportNotVisible
from integrity.models import (
    IntegrityAttachment,
    IntegrityMessage,
    IntegrityReport,
    MessageType,
    Outcome,
)
from integrity.workflow import INTEGRITY_WORKFLOW

TARGET = intake.REPORT_TARGET
PAGE_SIZE = 25
VIEWERS_SHOWN = 200
# Refused requests since the report arrived that are searched for attempts on it.
REFUSALS_SCANNED = 2000
SORTS = {
    "due": SortOrder((IntegrityReport.answer_due, IntegrityReport.id)),
    "received": SortOrder((IntegrityReport.received_at, IntegrityReport.id), descending=True),
}


# Every service below is for the integrity role only (the staff views check it first).
INTEGRITY_WORK = requires(Permission.WORK_INTEGRITY, ReportNotVisible)


def _audit(action: str, report_id: int, detail: dict[str, Any] | None = None) -> None:
    # Joins the caller's transaction: committed with the view or change it records.
    audit.record(action, target_type=TARGET, target_id=report_id, detail=detail)


@INTEGRITY_WORK
def report_for_officer(user: User, report_id: int) -> IntegrityReport:
    """The report ``report_id`` for an integrity officer; ``ReportNotVisible`` for anyone else.

    The role is checked before the lookup, so other staff cannot even learn whether an id exists.
    """
    report = db.session.get(IntegrityReport, report_id)
    if report is None:
        raise ReportNotFound(report_id)
    return report


@INTEGRITY_WORK
def record_view(user: User, report: IntegrityReport) -> None:
    """Audit that ``user`` opened ``report``."""
    with unit_of_work(db.session):
        _audit("integrity_report_viewed", report.id)


@INTEGRITY_WORK
def evidence_for_download(
    user: User, report: IntegrityReport, attachment_id: int
) -> tuple[IntegrityAttachment, bytes]:
    """One evidence file of ``report``, decrypted, with the download audited."""
    attachment = db.session.get(IntegrityAttachment, attachment_id)
    if attachment is None or attachment.report_id != report.id:
        raise ReportNotFound(attachment_id)
    data = evidence.evidence_bytes(attachment)
    with unit_of_work(db.session):
        _audit("integrity_evidence_downloaded", report.id, {"attachment_id": attachment.id})
    return attachment, data


@INTEGRITY_WORK
def viewers(user: User, report: IntegrityReport) -> list[AuditEntry]:
    """Who viewed or changed ``report``, and who tried and was refused, newest first.

    Refusals are audited by the error handler with the path only, so they are matched by path.
    """
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.target_type == TARGET, AuditEntry.target_id == str(report.id))
        .order_by(AuditEntry.id.desc())
        .limit(VIEWERS_SHOWN)
    ).all()
    page = f"/integrity/staff/reports/{report.id}"
    refused = [
        entry
        for entry in db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "access_denied", AuditEntry.at >= report.received_at)
            .order_by(AuditEntry.id.desc())
            .limit(REFUSALS_SCANNED)
        )
        if _is_under(str((entry.detail or {}).get("path", "")), page)
    ]
    return sorted([*entries, *refused], key=lambda entry: entry.id, reverse=True)


def _is_under(path: str, page: str) -> bool:
    return path == page or path.startswith(f"{page}/")


def staff_names(messages: Sequence[IntegrityMessage]) -> dict[int, str]:
    """Display names of the staff who wrote ``messages``."""
    ids = {m.staff_id for m in messages if m.staff_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


# --- the queue -----------------------------------------------------------------------------


@dataclass
class QueueQuery:
    """What the integrity officer asked for."""

    tab: str = "open"
    kind: str = ""
    overdue: bool = False
    code: str = ""
    sort: str = "due"
    cursor: str | None = None


def _filters(query: QueueQuery) -> list[ColumnElement[bool]]:
    # Content is encrypted, so the queue filters on clear columns and the code only.
    conditions: list[Any] = []
    if query.kind:
        conditions.append(IntegrityReport.kind == query.kind)
    if query.overdue:
        conditions.append(overdue_condition(IntegrityReport, today_in_thailand()))
    if query.code.strip():
        conditions.append(IntegrityReport.code == normalise_code(query.code))
    return conditions


@INTEGRITY_WORK
def run_queue(user: User, query: QueueQuery, size: int = PAGE_SIZE) -> QueueResult:
    """The integrity officers' queue: tabs per status, filters, keyset paging (shared helpers)."""
    conditions = _filters(query)
    tab = status_tab_conditions(IntegrityReport.status, query.tab)
    stmt = select(IntegrityReport).where(*conditions, *tab)
    page = keyset_page(db.session, stmt, SORTS.get(query.sort, SORTS["due"]), query.cursor, size)
    tabs = status_tab_counts(db.session, IntegrityReport.status, conditions)
    return QueueResult(page=page, tabs=tabs)


# --- changes -------------------------------------------------------------------------------


def _stamp(report: IntegrityReport, applied: AppliedTransition) -> None:
    now = utcnow()
    if applied.to_status != Status.RECEIVED and report.acknowledged_at is None:
        report.acknowledged_at = now
    if applied.to_status in (Status.CLOSED, Status.REJECTED):
        report.closed_at = now
    if applied.action == "reopen":
        report.closed_at = None
        report.outcome = None


def available_actions(user: User, report: IntegrityReport) -> list[str]:
    """The actions ``user`` may take on ``report`` now, in table order."""
    return [t.action for t in INTEGRITY_WORKFLOW.allowed(report.status, user.roles)]


@INTEGRITY_WORK
def change_status(
    user: User,
    report: IntegrityReport,
    action: str,
    reason: str = "",
    outcome: str = "",
    expected_version: int | None = None,
) -> AppliedTransition:
    """Move ``report`` through the workflow; closing records the outcome.

    ``expected_version`` is the version on the officer's page: a change from a page that is no
    longer current raises ``app.workflow.ConcurrentChange`` (both tracks' rule, in the kernel).
    """
    if outcome and outcome not in set(Outcome):
        raise MissingTransitionField(
            str(INTEGRITY_WORKFLOW.get("close").requires["outcome"]), "outcome"
        )
    with change_transaction(report, expected_version):
        applied = INTEGRITY_WORKFLOW.apply(
            report, action, user.roles, reason=reason, outcome=outcome if action == "close" else ""
        )
        _stamp(report, applied)
        if action == "close":
            report.outcome = outcome
        report.messages.append(
            IntegrityMessage(
                type=MessageType.STATUS_CHANGED,
                from_status=applied.from_status,
                to_status=applied.to_status,
                body=applied.fields.get("reason") or None,
                staff_id=user.id,
            )
        )
        reporter.queue_news(report)
        _audit(
            "integrity_status_changed",
            report.id,
            {"action": action, "to": applied.to_status, "outcome": report.outcome},
        )
    return applied


@INTEGRITY_WORK
def write_to_reporter(user: User, report: IntegrityReport, body: str) -> IntegrityMessage:
    """A message the anonymous reporter reads with the receipt."""
    _audit("integrity_message_sent", report.id)
    return reporter.send_to_reporter(report, body, staff_id=user.id)


@INTEGRITY_WORK
def add_note(
    user: User, report: IntegrityReport, body: str, expected_version: int | None = None
) -> IntegrityMessage:
    """An internal note, never shown to the reporter (refused from a page no longer current)."""
    with change_transaction(report, expected_version):
        note = IntegrityMessage(
            type=MessageType.NOTE, body=reporter.check_message(body), staff_id=user.id
        )
        report.messages.append(note)
        _audit("integrity_note_added", report.id)
    return note


@INTEGRITY_WORK
def enter_report(user: User, sub: intake.ReportSubmission) -> intake.SubmittedReport:
    """Record a report received by post or in person (the intake service, another channel)."""
    return intake.submit_report(sub, entered_by=user)
