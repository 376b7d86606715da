"""Writing notifications into the outbox (delivery is the worker's job)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select

from app import audit
from app.database import AnySession, unit_of_work
from app.extensions import db
from app.models import utcnow
from app.outbox import DeliveryChannel, Notification, NotificationStatus
from notifications.errors import NotificationNotFound

DEAD_LETTER_PAGE = 200


# --- messages a channel adapter delivers itself ---


def take_over(
    session: AnySession, case_id: int, channel: str, template: str
) -> Notification | None:
    """Claim a case's queued message for a caller that delivers it another way.

    The LINE bot answers a new case with the receipt in its reply, while the same receipt waits
    in the outbox for a worker to push. The bot claims the row exactly as a worker does (locked
    with ``FOR UPDATE SKIP LOCKED``, then leased) and only if no worker has ever claimed it; so
    either the bot or a worker sends it, never both. Returns the row (its ``retry_key`` is the
    one to push with), or None when a worker has it: the caller must then send nothing. Commits.
    Settle the row with ``mark_delivered`` or ``give_back``.
    """
    now = utcnow()
    row = session.scalars(
        Notification.claimable(
            now,
            Notification.case_id == case_id,
            Notification.channel == channel,
            Notification.template == template,
            Notification.attempts == 0,
        )
        .order_by(Notification.id)
        .limit(1)
    ).first()
    if row is not None:
        row.lease(now)
    session.commit()
    return row


def mark_delivered(session: AnySession, row: Notification, how: str) -> None:
    """A message claimed with ``take_over`` was delivered by the caller (``how`` says by what)."""
    row.status = NotificationStatus.SENT
    row.sent_at = utcnow()
    row.last_error = how
    session.commit()


def give_back(session: AnySession, row: Notification, reason: str) -> None:
    """A message claimed with ``take_over`` could not be delivered: a worker sends it now."""
    row.next_attempt_at = utcnow()
    row.last_error = reason
    session.commit()


# --- dead letters (the admin page) ---


@dataclass(frozen=True)
class ChannelCounts:
    """How many messages of one channel are waiting, delivered and dead."""

    channel: str
    pending: int
    sent: int
    dead: int


def outbox_counts() -> list[ChannelCounts]:
    """Messages per channel and status, for the admin page."""
    rows = db.session.execute(
        select(Notification.channel, Notification.status, func.count()).group_by(
            Notification.channel, Notification.status
        )
    ).all()
    counts = {(channel, status): int(n) for channel, status, n in rows}
    return [
        ChannelCounts(
            channel=channel.value,
            pending=counts.get((channel.value, NotificationStatus.PENDING.value), 0),
            sent=counts.get((channel.value, NotificationStatus.SENT.value), 0),
            dead=counts.get((channel.value, NotificationStatus.DEAD.value), 0),
        )
        for channel in DeliveryChannel
    ]


def dead_letters(limit: int = DEAD_LETTER_PAGE) -> Sequence[Notification]:
    """The newest dead letters, with the reason of their last failure."""
    return db.session.scalars(
        select(Notification)
        .where(Notification.status == NotificationStatus.DEAD)
        .order_by(Notification.id.desc())
        .limit(limit)
    ).all()


def _revive(row: Notification) -> None:
    row.status = NotificationStatus.PENDING
    row.attempts = 0
    row.next_attempt_at = utcnow()


def retry_dead_letter(notification_id: int) -> Notification:
    """Put one dead letter back in the outbox with a fresh set of attempts.

    The retry key is kept: if LINE did accept an earlier attempt, the retry is not delivered
    twice. Raises ``NotificationNotFound`` if there is no such dead letter.
    """
    row = db.session.get(Notification, notification_id)
    if row is None or row.status != NotificationStatus.DEAD:
        raise NotificationNotFound(notification_id)
    with unit_of_work(db.session):
        _revive(row)
        audit.record("notification_retried", target_type="notification", target_id=row.id)
    return row


def retry_all_dead_letters() -> int:
    """Put every dead letter back in the outbox; returns how many."""
    with unit_of_work(db.session) as session:
        rows = session.scalars(
            select(Notification).where(Notification.status == NotificationStatus.DEAD)
        ).all()
        for row in rows:
            _revive(row)
        audit.record(
            "notification_retried_all", target_type="notification", detail={"count": len(rows)}
        )
    return len(rows)
