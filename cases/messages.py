"""What the outbox needs from the general track: who hears about a case, and what they read.

Residents hear on every channel they gave; officers of a case's department hear of a new case and
get a daily digest of what is overdue or due. Rows are queued with ``app.outbox.enqueue`` in the
caller's transaction; at delivery the worker asks ``case_subjects`` (registered by ``init_app``)
for each case's code and links, so a status link is never stored in the outbox.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from flask import Flask, current_app
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.calendar import add_working_days
from app.database import AnySession
from app.deadlines import is_overdue, next_due
from app.i18n import format_date
from app.links import public_url, staff_url
from app.outbox import (
    DigestResult,
    Notification,
    Recipient,
    enqueue,
    register_digest,
    register_labels,
    register_private_recipient,
    register_subject,
    resident_recipients,
    staff_recipients,
    users_with_role,
)
from app.statuses import OPEN_STATUSES
from cases.labels import KIND_LABELS
from cases.models import Case, CaseSubscriber
from cases.status_access import status_url

DIGEST_LIST_LIMIT = 30  # per section; the digest says how many more there are
# The templates subscribers get, by the template the case's own resident gets for the change.
SUBSCRIBER_TEMPLATES = {
    "case_status_changed": "subscriber_status_changed",
    "case_reply": "subscriber_reply",
}
SUBSCRIBED_TEMPLATE = "case_subscribed"


def notify_resident(
    session: AnySession, case: Case, template: str, **context: Any
) -> list[Notification]:
    """Queue ``template`` for the resident of ``case`` on every channel they gave, and its public
    changes for its supporters and followers too (``notify_subscribers``).

    Called inside the change's own transaction, so the message exists exactly when the change
    that causes it is committed. Phone-only residents get nothing automatic. The status link is
    added at delivery (``case_subjects``): the outbox never stores it.
    """
    recipients = resident_recipients(case.line_user_id, case.contact_email, case.line_account)
    queued = enqueue(session, template, recipients, {"code": case.code, **context}, case_id=case.id)
    notify_subscribers(session, case, template, **context)
    return queued


def notify_officers_of_new_case(session: AnySession, case: Case) -> list[Notification]:
    """Tell the officers of ``case``'s department that it arrived (in the intake's transaction)."""
    officers = users_with_role(session, Role.OFFICER, case.department_id)
    context = {"code": case.code, "subject": case.subject, "kind": case.kind}
    recipients = [recipient for _user, recipient in staff_recipients(session, officers)]
    return enqueue(session, "officer_new_case", recipients, context, case_id=case.id)


def case_subjects(session: Session, case_ids: set[int]) -> dict[int, dict[str, Any]]:
    """What a message about each of ``case_ids`` shows: its code, status link and staff page."""
    return {
        case.id: {
            "code": case.code,
            "status_url": status_url(case),
            "staff_case_url": staff_url("review.case_page", case_id=case.id),
        }
        for case in session.scalars(select(Case).where(Case.id.in_(case_ids)))
    }


# --- supporters and followers (cases.subscribers) ---


def unfollow_token(subscriber_id: int) -> str:
    """The secret of a subscriber's unfollow link (HMAC of its id under ``SECRET_KEY``)."""
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"unfollow:{subscriber_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def unfollow_url(subscriber_id: int) -> str:
    """The one-click link that stops a subscriber's messages (put in every one of them)."""
    return public_url(
        "subscribers.confirm_unfollow",
        subscriber_id=subscriber_id,
        token=unfollow_token(subscriber_id),
    )


def _recipients(subscriber: CaseSubscriber) -> list[Recipient]:
    """Where ``subscriber`` hears, with the address left out (looked up at delivery)."""
    found = resident_recipients(subscriber.line_user_id, subscriber.contact_email)
    return [Recipient(recipient.channel, "") for recipient in found]


def notify_subscriber(
    session: AnySession, case: Case, subscriber: CaseSubscriber, template: str, **context: object
) -> None:
    """Queue ``template`` about ``case`` for one subscriber on each channel they gave."""
    for recipient in _recipients(subscriber):
        values = {
            "code": case.code,
            "category": case.category.name_th,
            "subscriber_id": subscriber.id,
            "via": recipient.channel,
            **context,
        }
        enqueue(session, template, [recipient], values, case_id=case.id)


def notify_subscribers(session: AnySession, case: Case, template: str, **context: object) -> None:
    """Fan a public change of ``case`` (the resident's ``template``) out to its subscribers."""
    subscriber_template = SUBSCRIBER_TEMPLATES.get(template)
    if subscriber_template is None:
        return
    listening = session.scalars(
        select(CaseSubscriber).where(
            CaseSubscriber.case_id == case.id, CaseSubscriber.stopped_at.is_(None)
        )
    )
    # Only what anyone may know of the change: never the reply's text, written to the resident.
    public = {key: value for key, value in context.items() if key == "status"}
    for subscriber in listening:
        notify_subscriber(session, case, subscriber, subscriber_template, **public)


def subscriber_address(session: Session, context: Mapping[str, Any]) -> str | None:
    """The address a subscriber's message goes to, asked by the worker at delivery; None when
    they stopped following or the case was anonymised."""
    subscriber = session.get(CaseSubscriber, context.get("subscriber_id"))
    if subscriber is None or subscriber.stopped_at is not None:
        return None
    if context.get("via") == "line":
        return subscriber.line_user_id
    return subscriber.contact_email or None


# --- the daily digest ---


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
    for officer in users_with_role(session, Role.OFFICER):
        cases = [c for d in sorted(officer.department_ids) for c in by_department.get(d, [])]
        context = _digest_context(sorted(cases, key=lambda c: (c.answer_due, c.id)), today)
        if context is None:
            continue
        officers += 1
        for _user, recipient in staff_recipients(session, [officer]):
            key = f"digest:{today}:{officer.id}:{recipient.channel}"
            if key in already:
                continue
            enqueue(session, "officer_digest", [recipient], context, dedupe_key=key)
            messages += 1
    return DigestResult(officers=officers, messages=messages)


def init_app(app: Flask) -> None:
    """Plug the general track into the outbox: its cases' links, kind labels and digest, and
    its subscribers' private addresses and unfollow links."""
    register_subject(app, case_subjects)
    register_labels(app, "kind", KIND_LABELS)
    register_digest(app, queue_daily_digests)
    # Subscribers' addresses are looked up at delivery, never stored in the outbox.
    for template in (*SUBSCRIBER_TEMPLATES.values(), SUBSCRIBED_TEMPLATE):
        register_private_recipient(app, template, subscriber_address)
    app.add_template_global(unfollow_url)
