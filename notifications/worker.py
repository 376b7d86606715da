"""The delivery worker: claims due outbox rows, sends them, records what happened.

Each batch runs in three steps so that nothing is sent inside a database transaction:

1. **claim** (one short transaction): pick due rows with ``SELECT ... FOR UPDATE SKIP LOCKED`` on
   PostgreSQL, count the attempt and push ``next_attempt_at`` one lease ahead, then commit. Other
   workers skip the locked rows and then see them as not due. On SQLite every transaction starts
   with ``BEGIN IMMEDIATE`` (see ``app.database``), so claims are serialised by the write lock.
2. **send** each message with no transaction open.
3. **record** each outcome (one short transaction): sent, retry later with exponential backoff,
   or dead after the last attempt.

The lease is short (``app.outbox.LEASE``, 45 s) and the worker renews it for the rows it
still holds before each send. A worker killed between 2 and 3 leaves its rows pending; they come
due again when the lease runs out (within a minute) and are sent again with the same
``retry_key`` (LINE answers 409, counted as delivered).

A channel adapter that delivers a queued message itself (the LINE bot answering with the receipt)
claims the row in the same way first (``notifications.services.take_over``), so a message is
sent by the adapter or by a worker, never by both.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from app import outbox
from app.config import ConfigError
from app.models import utcnow
from app.organizations.line_accounts import account_credentials, any_own_line_account
from app.organizations.scope import organization_scope, platform_scope
from app.organizations.services import reading_organizations_with
from app.outbox import LEASE, DeliveryChannel, Notification, NotificationStatus
from notifications import recipients
from notifications.errors import DeliveryError
from notifications.messages import render_message
from notifications.senders import (
    SMTP_TIMEOUT_SECONDS,
    OutgoingMessage,
    Sender,
    senders_from_config,
    unavailable_channels,
)

log = logging.getLogger(__name__)

BATCH_SIZE = 20
# A worker renews the lease of the rows it still holds when the last renewal is this old.
RENEW_AFTER = LEASE / 3
MAX_BACKOFF = timedelta(hours=6)


@dataclass
class DrainReport:
    """What one drain did."""

    sent: int = 0
    retrying: int = 0
    dead: int = 0

    def add(self, other: DrainReport) -> None:
        """Add ``other``'s counts to these."""
        self.sent += other.sent
        self.retrying += other.retrying
        self.dead += other.dead

    @property
    def handled(self) -> int:
        """Messages claimed and settled."""
        return self.sent + self.retrying + self.dead


@dataclass
class Claimed:
    """A claimed row: rendered, or the reason it could not be."""

    id: int
    attempts: int
    message: OutgoingMessage | None = None
    error: DeliveryError | None = None
    # The recipient is not in the row (``notifications.recipients``): blank the row once settled.
    private: bool = False


@dataclass
class Worker:
    """Delivers the outbox with the given senders (one per configured channel)."""

    session_factory: Callable[[], Session]
    senders: Mapping[str, Sender]
    max_attempts: int = 8
    retry_seconds: int = 60
    unavailable: Mapping[str, str] = field(default_factory=dict)
    batch_size: int = BATCH_SIZE
    clock: Callable[[], datetime] = utcnow

    def backoff(self, attempts: int) -> timedelta:
        """The wait after the ``attempts``-th failed attempt: base x 2^(attempts-1), capped."""
        return min(timedelta(seconds=self.retry_seconds * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)

    def note_unavailable(self) -> None:
        """Write on waiting rows of unconfigured channels why they wait (they stay pending)."""
        if not self.unavailable:
            return
        with self.session_factory() as session, platform_scope():
            for channel, reason in self.unavailable.items():
                session.execute(
                    update(Notification)
                    .where(
                        Notification.status == NotificationStatus.PENDING,
                        Notification.channel == channel,
                        Notification.last_error != reason,
                    )
                    .values(last_error=reason)
                )
            session.commit()

    def claim(self) -> list[Claimed]:
        """Take up to ``batch_size`` due rows of configured channels and render them."""
        now = self.clock()
        # The outbox is claimed across every organization; each message is rendered in its own.
        with self.session_factory() as session, platform_scope():
            rows = session.scalars(
                Notification.claimable(now, Notification.channel.in_(list(self.senders)))
                .order_by(Notification.next_attempt_at, Notification.id)
                .limit(self.batch_size)
            ).all()
            subjects = outbox.subject_contexts(
                session, {row.case_id for row in rows if row.case_id is not None}
            )
            for row in rows:
                row.lease(now)
            # Written while every organization is in scope: on PostgreSQL, row-level security
            # would hide the other bodies' rows from an organization's flush.
            session.flush()
            claimed = []
            for row in rows:
                with organization_scope(row.organization_id), reading_organizations_with(session):
                    claimed.append(_render(session, row, subjects.get(row.case_id or 0)))
            session.commit()
        return claimed

    def send(self, message: OutgoingMessage) -> DeliveryError | None:
        """Hand ``message`` to its channel; the error, or None when delivered."""
        try:
            self.senders[message.channel].send(message)
        except DeliveryError as exc:
            return exc
        return None

    def record(self, item: Claimed, error: DeliveryError | None) -> DrainReport:
        """Store the outcome of one claimed row."""
        now = self.clock()
        report = DrainReport()
        reason = "" if error is None else error.reason
        if item.private and item.message is not None:
            reason = recipients.redact(reason, item.message.recipient)
        if error is None:
            values: dict[str, object] = {
                "status": NotificationStatus.SENT,
                "sent_at": now,
                "last_error": "",
            }
            report.sent = 1
        elif error.permanent or item.attempts >= self.max_attempts:
            values = {"status": NotificationStatus.DEAD, "last_error": reason}
            report.dead = 1
        else:
            values = {"next_attempt_at": now + self.backoff(item.attempts), "last_error": reason}
            report.retrying = 1
        if item.private and "status" in values:
            # Settled: nothing in the row may lead back to the person any more.
            values.update(recipient="", context={})
        with self.session_factory() as session, platform_scope():
            session.execute(update(Notification).where(Notification.id == item.id).values(values))
            session.commit()
        if error is not None:
            log.warning("notification %s attempt %s: %s", item.id, item.attempts, reason)
        return report

    def run_batch(self) -> DrainReport:
        """Claim, send and record one batch, keeping the lease of the unsent rows alive."""
        report = DrainReport()
        claimed = self.claim()
        renewed_at = self.clock()
        for index, item in enumerate(claimed):
            if self.clock() - renewed_at >= RENEW_AFTER:
                renewed_at = self.renew([later.id for later in claimed[index:]])
            error = item.error if item.message is None else self.send(item.message)
            report.add(self.record(item, error))
        return report

    def renew(self, ids: list[int]) -> datetime:
        """Extend the lease of the rows ``ids`` this worker still holds; return when."""
        now = self.clock()
        with self.session_factory() as session, platform_scope():
            session.execute(Notification.renew_leases(ids, now))
            session.commit()
        return now

    def drain(self, stop: threading.Event | None = None) -> DrainReport:
        """Deliver every due message, batch after batch, until none is due (or ``stop``)."""
        self.note_unavailable()
        report = DrainReport()
        while stop is None or not stop.is_set():
            batch = self.run_batch()
            report.add(batch)
            if batch.handled == 0:
                break
        return report

    def run_forever(self, stop: threading.Event, poll_seconds: float) -> None:
        """Drain, wait ``poll_seconds``, repeat until ``stop`` is set (between batches)."""
        while not stop.is_set():
            try:
                self.drain(stop)
            except Exception:
                # A database restart must not end the worker: log, wait, try again.
                log.exception("notification worker: drain failed")
            stop.wait(poll_seconds)

    def close(self) -> None:
        """Release the senders' connections."""
        for sender in self.senders.values():
            sender.close()


# A send may wait this many times a sender's timeout (an SMTP exchange is several waits).
SEND_TIMEOUTS_PER_LEASE = 3


def check_lease_covers_a_send(line_timeout_ms: int) -> None:
    """Refuse to start when one send could outlast the lease a worker renews before each send.

    Then a live worker's row could be claimed by another and sent twice.
    """
    longest = max(line_timeout_ms / 1000, SMTP_TIMEOUT_SECONDS) * SEND_TIMEOUTS_PER_LEASE
    if longest >= LEASE.total_seconds():
        raise ConfigError(
            f"the outbox lease ({LEASE.total_seconds():g} s) must outlast one send "
            f"({SEND_TIMEOUTS_PER_LEASE} x the longest sender timeout, {longest:g} s)"
        )


def worker_for(config: Mapping[str, Any], session_factory: Callable[[], Session]) -> Worker:
    """A worker with a sender for each channel configured in ``config`` (a Flask config)."""
    check_lease_covers_a_send(config["LINE_API_TIMEOUT_MS"])
    with session_factory() as session:
        bodies_have_line = any_own_line_account(session)
    return Worker(
        session_factory=session_factory,
        senders=senders_from_config(config, bodies_have_line),
        unavailable=unavailable_channels(config, bodies_have_line),
        max_attempts=config["NOTIFY_MAX_ATTEMPTS"],
        retry_seconds=config["NOTIFY_RETRY_SECONDS"],
    )


def _render(session: Session, row: Notification, subject: dict[str, Any] | None) -> Claimed:
    private = recipients.is_private(row.template)
    try:
        message = render_message(row, subject, recipients.recipient_of(session, row))
        if row.channel == DeliveryChannel.LINE:
            credentials = account_credentials(session, row.organization_id, row.line_account)
            message = replace(message, line_token=credentials.access_token if credentials else "")
    except DeliveryError as exc:
        return Claimed(id=row.id, attempts=row.attempts, error=exc, private=private)
    return Claimed(id=row.id, attempts=row.attempts, message=message, private=private)
