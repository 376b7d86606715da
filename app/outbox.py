"""The transactional outbox: one row per message to deliver, and the one way to write it.

Every capability queues its messages with ``enqueue``, inside its own transaction, so a message
exists exactly when the change that causes it is committed; ``notifications`` delivers them. Who
gets a message is worked out here from plain data (``resident_recipients``, ``staff_recipients``);
what a message shows is rendered at delivery, and each capability plugs in what only it knows
(``register_subject``, ``register_labels``, ``register_private_recipient``, ``register_digest``):
the outbox and its worker never import a capability.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from flask import Flask, current_app
from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    Update,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.auth.models import Role, User, UserRole, user_departments
from app.database import AnySession, unit_of_work
from app.models import Base, CreatedAtMixin, OrganizationOwned, utcnow

# How long a claimed row is left to its claimant. Longer than one send can take (the senders'
# timeouts: 10 s for SMTP, at most 10 s for LINE, see LINE_API_TIMEOUT_MS); a worker renews the
# lease of the rows it still holds before each send (``Worker.run_batch``), so a live claimant's
# rows are never claimed twice, and a dead one's come back within this long.
LEASE = timedelta(seconds=45)


class DeliveryChannel(StrEnum):
    """Where a notification goes."""

    LINE = "line"
    EMAIL = "email"


class NotificationStatus(StrEnum):
    """Life of an outbox row: pending until delivered, dead after the last failed attempt."""

    PENDING = "pending"
    SENT = "sent"
    DEAD = "dead"


class Notification(OrganizationOwned, CreatedAtMixin, Base):
    """A message waiting in the outbox or delivered."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_status_next_attempt", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The general track's case a message is about (its link and code are rendered at delivery).
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(254))
    # For LINE: the account whose token pushes it ('' the body's own, 'platform').
    line_account: Mapped[str] = mapped_column(String(20), default="", server_default="")
    template: Mapped[str] = mapped_column(String(60))
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default=NotificationStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column()
    # Sent as X-Line-Retry-Key so that a retry after a timeout is not delivered twice.
    retry_key: Mapped[str] = mapped_column(String(36), default=lambda: str(uuid.uuid4()))
    # Set on messages that must be queued at most once (a day's digest to one officer).
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)

    @classmethod
    def claimable(cls, now: datetime, *conditions: Any) -> Select[Notification]:
        """Rows due at ``now`` (and meeting ``conditions``), locked for whoever claims them.

        Rows another claimant holds locked are skipped (``SKIP LOCKED`` on PostgreSQL; SQLite's
        write lock serialises claimants). Every claimant, a worker or a channel adapter that
        delivers a message itself, selects with this and then ``lease``s what it got.
        """
        return (
            select(cls)
            .where(
                cls.status == NotificationStatus.PENDING, cls.next_attempt_at <= now, *conditions
            )
            .with_for_update(skip_locked=True)
        )

    def lease(self, now: datetime) -> None:
        """Claim the row for one delivery attempt: nobody else sees it due until the lease ends.

        The caller has the row locked (``FOR UPDATE SKIP LOCKED``) and commits straight after.
        """
        self.attempts += 1
        self.next_attempt_at = now + LEASE

    @classmethod
    def renew_leases(cls, ids: list[int], now: datetime) -> Update:
        """The statement keeping the claimant's unsent rows ``ids`` its own from ``now``."""
        return (
            update(cls)
            .where(cls.id.in_(ids), cls.status == NotificationStatus.PENDING)
            .values(next_attempt_at=now + LEASE)
        )


class StaffContact(Base):
    """How a staff member is told about new cases and the daily digest.

    Without a row, a staff member gets email at their account's address and no LINE message.
    """

    __tablename__ = "staff_contacts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    by_email: Mapped[bool] = mapped_column(Boolean, default=True)
    # A LINE user id (U...) or group id (C...) that has added the organization's LINE account.
    line_recipient: Mapped[str | None] = mapped_column(String(64))


# --- who gets a message ---


@dataclass(frozen=True)
class Recipient:
    """One address on one channel (``address`` is empty for a private recipient)."""

    channel: str
    address: str
    # LINE: the account the address belongs to ('' the body's own, 'platform').
    line_account: str = ""


def resident_recipients(
    line_user_id: str | None, email: str | None, line_account: str = ""
) -> list[Recipient]:
    """Every channel a resident gave (phone-only residents get nothing automatic)."""
    found = []
    if line_user_id:
        found.append(Recipient(DeliveryChannel.LINE, line_user_id, line_account))
    if email:
        found.append(Recipient(DeliveryChannel.EMAIL, email))
    return found


def users_with_role(
    session: AnySession, role: Role, department_id: int | None = None
) -> list[User]:
    """Active staff holding ``role`` (in ``department_id``, when given), in id order."""
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


def staff_recipients(session: AnySession, users: Sequence[User]) -> list[tuple[User, Recipient]]:
    """(user, recipient) for every way each of ``users`` wants to be told (``StaffContact``)."""
    ids = [user.id for user in users]
    contacts = {
        c.user_id: c
        for c in session.scalars(select(StaffContact).where(StaffContact.user_id.in_(ids)))
    }
    found = []
    for user in users:
        contact = contacts.get(user.id)
        if contact is None or contact.by_email:
            found.append((user, Recipient(DeliveryChannel.EMAIL.value, user.email)))
        if contact is not None and contact.line_recipient:
            found.append((user, Recipient(DeliveryChannel.LINE.value, contact.line_recipient)))
    return found


# --- writing messages ---


def enqueue(
    session: AnySession,
    template: str,
    recipients: Iterable[Recipient],
    context: Mapping[str, Any] | None = None,
    *,
    case_id: int | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Queue ``template`` for each of ``recipients`` in the caller's transaction (no commit).

    ``context`` is what the template shows besides what its subject provides at delivery
    (``register_subject``); ``dedupe_key`` marks a message to be queued at most once.
    """
    rows = [
        Notification(
            case_id=case_id,
            channel=recipient.channel,
            recipient=recipient.address,
            line_account=recipient.line_account,
            template=template,
            context=dict(context or {}),
            dedupe_key=dedupe_key,
        )
        for recipient in recipients
    ]
    session.add_all(rows)
    return rows


# --- what capabilities plug in ---

# (worker's session, ids of the rows' cases) -> what a template shows of each case still there.
SubjectLoader = Callable[[Session, set[int]], dict[int, dict[str, Any]]]
# (worker's session, the row's context) -> the address, or None when it is no longer known.
Resolver = Callable[[Session, Mapping[str, Any]], str | None]


@dataclass(frozen=True)
class DigestResult:
    """What one daily digest queued."""

    officers: int
    messages: int


# (session, today) -> what was queued; once per recipient and day however often it runs.
Digest = Callable[[AnySession, date], DigestResult]

_SUBJECT = "outbox.subject"
_LABELS = "outbox.labels"
_PRIVATE = "outbox.private_recipients"
_DIGESTS = "outbox.digests"


def register_subject(app: Flask, loader: SubjectLoader) -> None:
    """Let the owner of ``Notification.case_id`` say what its messages show of the case."""
    app.extensions[_SUBJECT] = loader


def subject_contexts(session: Session, case_ids: set[int]) -> dict[int, dict[str, Any]]:
    """What the registered subject shows of each of ``case_ids`` (missing: no longer there)."""
    loader: SubjectLoader | None = current_app.extensions.get(_SUBJECT)
    if loader is None or not case_ids:
        return {}
    return loader(session, case_ids)


def register_labels(app: Flask, key: str, labels: Mapping[Any, object]) -> None:
    """A message whose context holds ``key`` also gets ``<key>_label`` from ``labels``."""
    app.extensions.setdefault(_LABELS, {})[key] = labels


def registered_labels() -> Mapping[str, Mapping[Any, object]]:
    """The label tables registered with ``register_labels``, by context key."""
    labels: Mapping[str, Mapping[Any, object]] = current_app.extensions.get(_LABELS, {})
    return labels


def register_private_recipient(app: Flask, template: str, resolver: Resolver) -> None:
    """Deliver ``template`` to the address ``resolver`` gives at send time, never a stored one."""
    app.extensions.setdefault(_PRIVATE, {})[template] = resolver


def private_resolver(template: str) -> Resolver | None:
    """The resolver of ``template``'s recipients, or None if they are stored in the row."""
    resolvers: Mapping[str, Resolver] = current_app.extensions.get(_PRIVATE, {})
    return resolvers.get(template)


def register_digest(app: Flask, digest: Digest) -> None:
    """Add a daily digest to what ``flask notifications digest`` queues."""
    app.extensions.setdefault(_DIGESTS, []).append(digest)


def registered_digests() -> list[Digest]:
    """The daily digests registered with ``register_digest``."""
    digests: list[Digest] = current_app.extensions.get(_DIGESTS, [])
    return digests


def queue_digests(session: AnySession, today: date) -> DigestResult:
    """Queue every registered daily digest of the organization in scope, in one transaction
    (``flask notifications digest`` calls it for each organization); what they queued."""
    officers = messages = 0
    with unit_of_work(session):
        for digest in registered_digests():  # each capability's, e.g. the general track's
            result = digest(session, today)
            officers, messages = officers + result.officers, messages + result.messages
    return DigestResult(officers=officers, messages=messages)
