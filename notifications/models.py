"""The transactional outbox: one row per message to deliver."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

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
from sqlalchemy.orm import Mapped, mapped_column

from app.models import Base, CreatedAtMixin, utcnow
from app.organizations.models import OrganizationOwned

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
    case_id: Mapped[int | None] = mapped_column(
        ForeignKey("cases.id", ondelete="SET NULL"), index=True
    )
    channel: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str] = mapped_column(String(254))
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
