"""Messages to staff: a new case in their department, the daily digest, new integrity reports.

Staff are told by email at their account's address unless they turned it off, and on LINE when
they registered a LINE user or group id (``StaffContact``). Like every outbox row, these are
written in the caller's transaction and delivered by the worker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, or_, select

from app import audit
from app.auth.models import Role, User, UserRole, user_departments
from app.calendar import add_working_days
from app.database import AnySession
from app.deadlines import is_overdue, next_due
from app.extensions import db
from app.i18n import format_date
from app.statuses import OPEN_STATUSES
from cases.models import Case
from notifications.errors import InvalidContact
from notifications.models import DeliveryChannel, Notification, StaffContact

# LINE ids are "U" (user), "C" (group chat) or "R" (multi-person chat) and 32 hex digits.
LINE_RECIPIENT = re.compile(r"^[UCR][0-9a-f]{32}$")
DIGEST_LIST_LIMIT = 30  # per section; the digest says how many more there are


def _users_with_role(
    session: AnySession, role: Role, department_id: int | None = None
) -> list[User]:
    query = (
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.active.is_(True), UserRole.role == role.value)
        .order_by(User.id)
    )
    if department_id is not None:
        query = query.join(user_departments, user_departments.c.user_id == User.id).where(
            user_departments.c.department_id == department_id
        )
    return list(session.scalars(query).unique())


def staff_channels(session: AnySession, users: Sequence[User]) -> list[tuple[User, str, str]]:
    """(user, channel, recipient) for every way each of ``users`` wants to be told."""
    ids = [user.id for user in users]
    contacts = {
        c.user_id: c
        for c in session.scalars(select(StaffContact).where(StaffContact.user_id.in_(ids)))
    }
    found = []
    for user in users:
        contact = contacts.get(user.id)
        if contact is None or contact.by_email:
            found.append((user, DeliveryChannel.EMAIL.value, user.email))
        if contact is not None and contact.line_recipient:
            found.append((user, DeliveryChannel.LINE.value, contact.line_recipient))
    return found


def _queue(
    session: AnySession,
    users: Sequence[User],
    template: str,
    context: dict[str, Any],
    case_id: int | None = None,
) -> list[Notification]:
    rows = [
        Notification(
            case_id=case_id,
            channel=channel,
            recipient=recipient,
            template=template,
            context=context,
        )
        for _user, channel, recipient in staff_channels(session, users)
    ]
    session.add_all(rows)
    return rows


def notify_officers_of_new_case(session: AnySession, case: Case) -> list[Notification]:
    """Tell the officers of ``case``'s department that it arrived (in the intake's transaction)."""
    officers = _users_with_role(session, Role.OFFICER, case.department_id)
    context = {"code": case.code, "subject": case.subject, "kind": case.kind}
    return _queue(session, officers, "officer_new_case", context, case_id=case.id)


def notify_integrity_officers(session: AnySession) -> list[Notification]:
    """Tell every integrity officer that a new report arrived: no content, no reporter details.

    For the integrity track to call in the transaction that stores the report (``integrity``
    imports ``notifications``, never the reverse).
    """
    return _queue(
        session, _users_with_role(session, Role.INTEGRITY), "integrity_report_received", {}
    )


# --- the daily digest ---


@dataclass(frozen=True)
class DigestResult:
    """What ``queue_daily_digests`` did."""

    officers: int
    messages: int


def _digest_line(case: Case, due: date) -> dict[str, str]:
    return {"code": case.code, "subject": case.subject, "due": format_date(due)}


def _cases_needing_attention(session: AnySession, horizon: date) -> Sequence[Case]:
    """Open cases whose answer, or missing acknowledgement, is due by ``horizon``."""
    return session.scalars(
        select(Case)
        .where(
            Case.status.in_([s.value for s in OPEN_STATUSES]),
            Case.merged_into_id.is_(None),
            or_(
                Case.answer_due <= horizon,
                and_(Case.acknowledged_at.is_(None), Case.acknowledge_due <= horizon),
            ),
        )
        .order_by(Case.answer_due, Case.id)
    ).all()


def _digest_context(cases: Iterable[Case], today: date) -> dict[str, Any] | None:
    overdue, due_soon = [], []
    for case in cases:
        if is_overdue(case, today):
            # The earliest date missed: the acknowledgement's if that is what is late.
            overdue.append(_digest_line(case, next_due(case)))
        else:
            due_soon.append(_digest_line(case, next_due(case)))
    if not overdue and not due_soon:
        return None
    return {
        "date": format_date(today),
        "overdue": overdue[:DIGEST_LIST_LIMIT],
        "overdue_more": max(len(overdue) - DIGEST_LIST_LIMIT, 0),
        "due_soon": due_soon[:DIGEST_LIST_LIMIT],
        "due_soon_more": max(len(due_soon) - DIGEST_LIST_LIMIT, 0),
    }


def queue_daily_digests(session: AnySession, today: date) -> DigestResult:
    """Queue each officer's digest of their departments' overdue cases and those due by the next
    working day. Once per officer, channel and day: running it twice queues nothing new."""
    horizon = add_working_days(today, 1)
    by_department: dict[int, list[Case]] = {}
    for case in _cases_needing_attention(session, horizon):
        by_department.setdefault(case.department_id, []).append(case)
    officers = messages = 0
    already = set(
        session.scalars(
            select(Notification.dedupe_key).where(Notification.dedupe_key.like(f"digest:{today}:%"))
        )
    )
    for officer in _users_with_role(session, Role.OFFICER):
        cases = [c for d in sorted(officer.department_ids) for c in by_department.get(d, [])]
        context = _digest_context(sorted(cases, key=lambda c: (c.answer_due, c.id)), today)
        if context is None:
            continue
        officers += 1
        for _user, channel, recipient in staff_channels(session, [officer]):
            key = f"digest:{today}:{officer.id}:{channel}"
            if key in already:
                continue
            session.add(
                Notification(
                    channel=channel,
                    recipient=recipient,
                    template="officer_digest",
                    context=context,
                    dedupe_key=key,
                )
            )
            messages += 1
    session.commit()
    return DigestResult(officers=officers, messages=messages)


# --- a staff member's own settings ---


def contact_of(user: User) -> StaffContact:
    """``user``'s notification settings (the defaults if never saved)."""
    return db.session.get(StaffContact, user.id) or StaffContact(
        user_id=user.id, by_email=True, line_recipient=None
    )


def save_contact(user: User, by_email: bool, line_recipient: str) -> StaffContact:
    """Store how ``user`` wants to be told; ``InvalidContact`` if the LINE id is malformed."""
    line_recipient = line_recipient.strip()
    if line_recipient and not LINE_RECIPIENT.match(line_recipient):
        raise InvalidContact()
    contact = db.session.get(StaffContact, user.id) or StaffContact(user_id=user.id)
    contact.by_email = by_email
    contact.line_recipient = line_recipient or None
    db.session.add(contact)
    audit.record("notification_contact_changed", target_type="user", target_id=user.id)
    db.session.commit()
    return contact
