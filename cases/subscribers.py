"""Supporters and followers of a case: one table (``CaseSubscriber``), one fan-out.

A resident filing a case may be shown open cases of the same problem (``suggest_duplicates``)
and add their support to one instead (แจ้งเหมือนกัน, ``support_case``); anyone may follow a case
(ติดตามเรื่องนี้, ``follow_case``). Either way they are told of the case's public changes (status
changes, public replies: ``cases.messages.notify_resident`` fans out to them), every message
carries a one-click unfollow link (``unfollow_url``, an HMAC of the row's id: no login, nothing
stored in the outbox), and their contact details stay with the case, for staff only.

What a resident sees of someone else's case is only what is safe to show anyone: its category,
place text, status and date, and its public title once published (``public_title``), never the
other resident's words or contact details.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.database import unit_of_work
from app.extensions import db
from app.models import utcnow
from app.statuses import OPEN_STATUSES
from app.tracking import normalise_code
from cases.errors import CaseNotFound, IntakeError, SubscriberNotFound
from cases.messages import SUBSCRIBED_TEMPLATE, notify_subscriber, unfollow_token
from cases.models import Case, CaseSubscriber, SubscriberKind
from cases.publication import published_case
from cases.services import PRIVACY_NOTICE_VERSION, check_contact
from cases.similarity import Draft, likely_duplicates


@dataclass(frozen=True)
class PublicCase:
    """What anyone may be shown of a case: never its resident's words or contact details."""

    code: str
    category: str
    place: str
    status: str
    received_at: datetime
    title: str
    supporters: int


@dataclass
class SubscriberDetails:
    """Who supports or follows a case, from a form or the LINE chat."""

    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    line_user_id: str | None = None
    privacy_acknowledged: bool = False


def public_title(case: Case) -> str:
    """The title an officer published ``case`` under, '' while it is not published.

    The one place the suggestions ask whether more than category, place and date may be shown.
    """
    publication = published_case(case.code)
    return publication.title if publication is not None else ""


def support_count(case_id: int) -> int:
    """How many residents said they have the same problem as ``case_id``'s."""
    return int(
        db.session.scalar(
            select(func.count(CaseSubscriber.id)).where(
                CaseSubscriber.case_id == case_id, CaseSubscriber.kind == SubscriberKind.SUPPORT
            )
        )
        or 0
    )


def public_case(case: Case) -> PublicCase:
    """``case`` as anyone may see it (the suggestions while filing, the follow form)."""
    return PublicCase(
        code=case.code,
        category=case.category.name_th,
        place=case.location_text,
        status=case.status,
        received_at=case.received_at,
        title=public_title(case),
        supporters=support_count(case.id),
    )


def suggest_duplicates(draft: Draft, limit: int = 3) -> list[PublicCase]:
    """Open cases of this body that ``draft`` probably repeats, as anyone may see them."""
    found = likely_duplicates(db.session, draft, limit=limit)
    if not found:
        return []
    cases = {
        case.id: case
        for case in db.session.scalars(select(Case).where(Case.id.in_([s.case_id for s in found])))
    }
    return [public_case(cases[s.case_id]) for s in found if s.case_id in cases]


def open_case_by_code(code: str) -> Case:
    """The open, unmerged case with tracking ``code``; ``CaseNotFound`` otherwise."""
    case = db.session.scalar(select(Case).where(Case.code == normalise_code(code or "")))
    if case is None or case.status not in OPEN_STATUSES or case.merged_into_id is not None:
        raise CaseNotFound(code)
    return case


def case_by_public_code(code: str) -> Case:
    """The (unmerged) case with tracking ``code``, open or not; ``CaseNotFound`` otherwise."""
    case = db.session.scalar(select(Case).where(Case.code == normalise_code(code or "")))
    if case is None or case.merged_into_id is not None:
        raise CaseNotFound(code)
    return case


def _check_details(details: SubscriberDetails, kind: SubscriberKind) -> None:
    errors: dict[str, object] = {}
    check_contact(details, errors)
    if kind == SubscriberKind.FOLLOW and not (details.contact_email or details.line_user_id):
        errors["contact_email"] = _l("กรุณากรอกอีเมลที่จะให้แจ้งความคืบหน้า")
    if not details.privacy_acknowledged:
        errors["privacy_acknowledged"] = _l("กรุณารับทราบประกาศความเป็นส่วนตัวก่อนส่ง")
    if errors:
        raise IntakeError(errors)


def _same_person(case: Case, details: SubscriberDetails) -> CaseSubscriber | None:
    """The row already holding one of ``details``' addresses for ``case`` (no double count)."""
    addresses = []
    if details.contact_email:
        addresses.append(CaseSubscriber.contact_email == details.contact_email)
    if details.line_user_id:
        addresses.append(CaseSubscriber.line_user_id == details.line_user_id)
    if not addresses:
        return None
    return db.session.scalar(
        select(CaseSubscriber)
        .where(CaseSubscriber.case_id == case.id, or_(*addresses))
        .order_by(CaseSubscriber.id)
        .limit(1)
    )


def _subscribe(
    case_for: Callable[[], Case], details: SubscriberDetails, kind: SubscriberKind
) -> CaseSubscriber:
    """Add (or renew) ``details`` as ``kind`` of the case ``case_for`` finds; welcome them."""
    _check_details(details, kind)
    with unit_of_work(db.session) as session:
        case = case_for()
        subscriber = _same_person(case, details)
        if subscriber is None:
            subscriber = CaseSubscriber(case_id=case.id, kind=kind)
            session.add(subscriber)
        elif kind == SubscriberKind.SUPPORT:
            subscriber.kind = SubscriberKind.SUPPORT  # a follower who has the problem too
        subscriber.contact_name = details.contact_name or subscriber.contact_name
        subscriber.contact_phone = details.contact_phone or subscriber.contact_phone
        subscriber.contact_email = details.contact_email or subscriber.contact_email
        subscriber.line_user_id = details.line_user_id or subscriber.line_user_id
        subscriber.privacy_notice_version = PRIVACY_NOTICE_VERSION
        subscriber.stopped_at = None
        session.flush()
        notify_subscriber(session, case, subscriber, SUBSCRIBED_TEMPLATE, kind=subscriber.kind)
    return subscriber


def support_case(code: str, details: SubscriberDetails) -> CaseSubscriber:
    """The resident has the same problem as open case ``code``: count them, keep them told.

    Raises ``IntakeError`` for wrong contact details, ``CaseNotFound`` when ``code`` is no open
    case of this body. The same e-mail or LINE account supporting twice counts once.
    """
    return _subscribe(lambda: open_case_by_code(code), details, SubscriberKind.SUPPORT)


def follow_case(code: str, details: SubscriberDetails) -> CaseSubscriber:
    """Tell ``details``' e-mail or LINE of case ``code``'s public changes (``CaseNotFound``
    when there is no such unmerged case in this body)."""
    return _subscribe(lambda: case_by_public_code(code), details, SubscriberKind.FOLLOW)


# --- unfollowing ---


def subscriber_for_token(subscriber_id: int, token: str) -> CaseSubscriber:
    """The subscriber an unfollow link names; ``SubscriberNotFound`` if the token is wrong."""
    if not hmac.compare_digest(unfollow_token(subscriber_id), token or ""):
        raise SubscriberNotFound()
    subscriber = db.session.get(CaseSubscriber, subscriber_id)
    if subscriber is None:
        raise SubscriberNotFound()
    return subscriber


def unfollow(subscriber_id: int, token: str) -> CaseSubscriber:
    """Stop a subscriber's messages (idempotent). A follower's address goes too: it was kept
    only for the messages; a supporter's stays with the case for staff to call back."""
    with unit_of_work(db.session):
        subscriber = subscriber_for_token(subscriber_id, token)
        if subscriber.stopped_at is None:
            subscriber.stopped_at = utcnow()
        if not subscriber.is_supporter:
            subscriber.contact_email = subscriber.contact_name = subscriber.contact_phone = ""
            subscriber.line_user_id = None
    return subscriber


def subscribers_of(case_id: int) -> list[CaseSubscriber]:
    """The supporters and followers of a case, oldest first (the officer's case page)."""
    return list(
        db.session.scalars(
            select(CaseSubscriber)
            .where(CaseSubscriber.case_id == case_id)
            .order_by(CaseSubscriber.id)
        )
    )
