"""Receiving LINE webhook events and answering them.

Design: the webhook only stores every event (``store_events``: one row per ``webhookEventId``,
unique, committed before LINE gets its 200) and wakes the event processors; they answer it
(``process_event``) in their own processes (``line_bot.processor``, ``flask line run``). Why:

- LINE counts a webhook as failed after 2 seconds, and the web worker that waits for LINE's reply
  API is a web worker not acknowledging the next webhook. Storing an event is one short
  transaction, so the acknowledgement takes milliseconds whatever LINE's API is doing.
- The processors wait on PostgreSQL ``LISTEN line_events`` (``store_events`` sends the
  ``NOTIFY`` in its transaction, so it arrives only once the row is committed), and look every
  fraction of a second on SQLite: an answer goes out well within the reply token's life.
- Nothing is lost: an event is in the database before LINE is told it arrived. A processor
  answers an event in one transaction (claim, conversation step, end of the event), committed
  before the answer is sent; if it dies before that commit, the claim is rolled back and
  another processor (or ``flask line process-pending`` from cron) answers the event.
- At most once: a redelivered event (same ``webhookEventId``, ``isRedelivery`` or not) finds its
  row and is skipped; processing claims a row with a conditional UPDATE, so two processors never
  process the same event.
- In order: LINE may deliver a resident's quick taps in parallel requests; an event is claimed
  only when it is its resident's oldest unfinished one, and whoever finishes an event goes on
  with the ones that waited behind it.
- The simulator (development) keeps its "LINE" in the web process's memory, so there the web
  process answers right after the response instead (``line_bot.webhook``).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

from linebot.v3.messaging import Message
from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    bindparam,
    exists,
    func,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from app.database import unit_of_work
from app.extensions import db
from app.models import utcnow
from app.organizations.line_accounts import OWN
from app.organizations.scope import (
    current_organization_id,
    organization_scope,
    platform_scope,
    sync_database_setting,
)
from app.outbox import DeliveryChannel
from line_bot import messages as m
from line_bot.channel import LineApi, LineUnavailable, ReplyTokenRefused, line_api
from line_bot.conversation import Conversation, Outcome, load_conversation
from line_bot.events import incoming_from, user_id_of
from line_bot.models import EventStatus, LineWebhookEvent
from notifications.services import give_back, mark_delivered, take_over

log = logging.getLogger(__name__)

# LINE accepts a reply token for a short while after the event; older events are pushed to.
REPLY_TOKEN_LIFETIME = timedelta(seconds=50)
# An event still unprocessed after this long was left behind (the process stopped).
STALE_AFTER = timedelta(seconds=30)
ABANDONED_AFTER = timedelta(minutes=10)
RECEIPT_TEMPLATE = "case_received"
_RETRY_KEY_NAMESPACE = uuid.UUID("5b0c8a52-0f7e-4c5e-9a43-8f1f3f3a2f10")


# What the processors LISTEN to on PostgreSQL (``line_bot.processor``).
WAKE_CHANNEL = "line_events"
MAX_EVENT_ID = 64
MAX_EVENT_TYPE = 40
MAX_REPLY_TOKEN = 200


def _text_field(value: object, limit: int) -> str | None:
    """``value`` if it is a non-empty string of at most ``limit`` characters, else None."""
    return value if isinstance(value, str) and 0 < len(value) <= limit else None


def _stored_row(event: object) -> dict[str, Any] | None:
    """The row for one event of a verified body; None for an event without a usable id.

    LINE's body is signed, so odd field types are not an attack from outside, but they must not
    break the webhook: anything not shaped as LINE documents is stored as ``None``/empty.
    """
    if not isinstance(event, dict):
        return None
    event_id = _text_field(event.get("webhookEventId"), MAX_EVENT_ID)
    if event_id is None:
        return None
    context = event.get("deliveryContext")
    return {
        "webhook_event_id": event_id,
        "event_type": _text_field(event.get("type"), MAX_EVENT_TYPE) or "",
        "line_user_id": user_id_of(event) or None,
        "is_redelivery": isinstance(context, dict) and context.get("isRedelivery") is True,
        "payload": event,
        "status": EventStatus.RECEIVED,
    }


def store_events(body: dict[str, Any], line_account: str = OWN) -> list[int]:
    """Store the events of a verified webhook body; return the ids of the new rows.

    ``line_account`` is the account whose webhook received them (its secret verified the body).

    One ``INSERT ... ON CONFLICT DO NOTHING``: an event already stored (a redelivery) is skipped
    by the unique ``webhookEventId``. On PostgreSQL the same statement wakes the processors
    (``pg_notify`` in its ``RETURNING``, so only when a row is new, delivered at the commit).
    Commits before returning. This is the webhook's whole work, so it runs as one Core statement
    (no ORM objects or bookkeeping) and the commit.
    """
    rows = [row for event in body.get("events") or [] if (row := _stored_row(event))]
    if not rows:
        return []
    for row in rows:
        row["line_account"] = line_account
    # Through the session, so the organization scope stamps the rows like every other insert.
    with unit_of_work(db.session) as session:
        dialect = session.get_bind().dialect.name
        stored = sorted(session.scalars(_insert_new_events(dialect), rows))
    return stored


@cache
def _insert_new_events(dialect: str) -> Any:
    """``INSERT ... ON CONFLICT (webhook_event_id) DO NOTHING RETURNING id``, built once: the
    same statement object for every webhook lets SQLAlchemy reuse its compiled form.

    On PostgreSQL ``RETURNING`` also calls ``pg_notify`` for each new row: PostgreSQL sends one
    notification per transaction however many rows called it, and none if the transaction rolls
    back. On SQLite the processors look often instead.
    """
    table: Table = LineWebhookEvent.__table__  # type: ignore[assignment]
    if dialect == "postgresql":
        wake = func.pg_notify(literal(WAKE_CHANNEL), literal(""))
        return (
            postgresql_insert(table)
            .on_conflict_do_nothing(index_elements=["webhook_event_id"])
            .returning(table.c.id, wake)
        )
    return (
        sqlite_insert(table)
        .on_conflict_do_nothing(index_elements=["webhook_event_id"])
        .returning(table.c.id)
    )


def _is_next_in_line() -> ColumnElement[bool]:
    """An event not yet claimed, with no earlier unfinished event of the same resident."""
    row = LineWebhookEvent
    earlier = aliased(LineWebhookEvent)
    unfinished_earlier = exists().where(
        earlier.line_user_id == row.line_user_id,
        earlier.id < row.id,
        earlier.status.in_((EventStatus.RECEIVED, EventStatus.PROCESSING)),
    )
    return and_(row.status == EventStatus.RECEIVED, ~unfinished_earlier)


def ready_events(limit: int) -> list[tuple[int, str | None]]:
    """``(row id, LINE user id)`` of events that may be processed now, oldest first.

    That is each resident's oldest unfinished event, if it has not been claimed yet (a later one
    waits for it; whoever processes the first goes on with the rest).
    """
    row = LineWebhookEvent
    found = db.session.execute(
        select(row.id, row.line_user_id).where(_is_next_in_line()).order_by(row.id).limit(limit)
    ).all()
    db.session.commit()
    return [(event_row_id, user_id) for event_row_id, user_id in found]


def event_receiver(event_row_id: int) -> tuple[int, str] | None:
    """The organization of stored event ``event_row_id`` and the LINE account that received it."""
    row = LineWebhookEvent
    found = db.session.execute(
        select(row.organization_id, row.line_account).where(row.id == event_row_id)
    ).first()
    return None if found is None else (found[0], found[1])


def process_in_its_organization(event_row_id: int) -> int:
    """``process_event`` inside the scope of the event's organization (workers, the CLI)."""
    with platform_scope():
        receiver = event_receiver(event_row_id)
    if receiver is None:
        return 0
    organization_id, line_account = receiver
    with organization_scope(organization_id):
        return process_event(event_row_id, line_account)


def process_ready(limit: int = 100) -> int:
    """Process, one after the other, every event that may be processed now; return how many.

    The processors do the same work on many threads at once (``line_bot.processor``); this
    serial form serves tests and the command line.
    """
    handled = 0
    while True:
        with platform_scope():  # the events of every organization
            batch = ready_events(limit)
        if not batch:
            break
        done = sum(process_in_its_organization(event_row_id) for event_row_id, _ in batch)
        if done == 0:
            break  # LINE is not configured, or another processor took them
        handled += done
    return handled


class Claimed(NamedTuple):
    """An event this transaction has claimed, with what answering it needs."""

    id: int
    webhook_event_id: str
    line_user_id: str | None
    payload: dict[str, Any]


def _claim(statement: Any, **where: object) -> Claimed | None:
    """Claim the event ``statement`` picks, if it is its resident's oldest unfinished one.

    One conditional ``UPDATE ... RETURNING`` on a row locked with ``SKIP LOCKED`` (PostgreSQL):
    two processors never both win, a processor never waits for a row another one holds, and a
    resident's events are answered in the order LINE sent them (a later one waits while an
    earlier one is unfinished). Not committed: the claim is part of the event's transaction.
    """
    found = db.session.connection().execute(statement, {**where, "at": utcnow()}).first()
    return None if found is None else Claimed(*found)


def _claiming(picked: Any) -> Any:
    """``UPDATE`` the event that the id query ``picked`` finds, returning what answering needs."""
    row = LineWebhookEvent
    return (
        update(row)
        # ``correlate(None)``: the subquery reads the table on its own, not the updated row.
        .where(
            row.id.in_(picked.with_for_update(skip_locked=True).correlate(None).scalar_subquery())
        )
        .values(status=EventStatus.PROCESSING, claimed_at=bindparam("at"))
        .returning(row.id, row.webhook_event_id, row.line_user_id, row.payload)
    )


# The statements every event runs are built once (``cache``), with bound parameters, so that
# answering an event spends no time putting SQL together.
@cache
def _claim_event_statement() -> Any:
    """Claim the event ``event_row_id`` (if it is next in line)."""
    row = LineWebhookEvent
    return _claiming(select(row.id).where(row.id == bindparam("event_row_id"), _is_next_in_line()))


@cache
def _claim_next_statement() -> Any:
    """Claim the resident ``user_id``'s next event to the same body's same account (at most one
    of theirs is next in line)."""
    row = LineWebhookEvent
    picked = select(row.id).where(
        row.line_user_id == bindparam("user_id"),
        row.organization_id == bindparam("owner"),
        row.line_account == bindparam("account"),
        _is_next_in_line(),
    )
    return _claiming(picked.order_by(row.id).limit(1))


@cache
def _finish_statement() -> Any:
    row = LineWebhookEvent
    return (
        update(row)
        .where(row.id == bindparam("event_row_id"))
        .values(
            status=bindparam("status"),
            error=bindparam("error"),
            payload=bindparam("kept", type_=row.payload.type),
            processed_at=bindparam("at"),
        )
    )


@cache
def _fail_unclaimed_statement() -> Any:
    """Mark an event failed unless someone else claimed it meanwhile."""
    row = LineWebhookEvent
    return (
        update(row)
        .where(row.id == bindparam("event_row_id"), row.status == EventStatus.RECEIVED)
        .values(status=EventStatus.FAILED, error=bindparam("error"), processed_at=bindparam("at"))
    )


def process_event(event_row_id: int, line_account: str = OWN) -> int:
    """Answer the stored event, then the resident's events that waited behind it; each once.

    Runs in the event's organization; ``line_account`` received it and answers it. Returns how
    many events this call answered. If an earlier event of the same resident is still
    unfinished, this one is left for whoever finishes that one (or for ``process_pending``).
    """
    api = line_api(line_account)
    organization_id = current_organization_id(db.session)
    if api is None or organization_id is None:
        return 0  # not configured: the event waits until it is
    answered = 0
    claimed = _claim(_claim_event_statement(), event_row_id=event_row_id)
    while claimed is not None:
        _process_claimed(api, claimed, line_account, organization_id)
        answered += 1
        user_id = claimed.line_user_id
        claimed = (
            _claim(
                _claim_next_statement(),
                user_id=user_id,
                owner=organization_id,
                account=line_account,
            )
            if user_id
            else None
        )
    db.session.commit()  # ends the last (empty) claim's transaction
    return answered


def _process_claimed(api: LineApi, claimed: Claimed, line_account: str, claimed_in: int) -> None:
    """Answer one claimed event in one transaction, then send; failures are recorded.

    The claim, the conversation's step and the event's end are committed together before
    anything is sent: a processor that dies before the commit leaves the event ``received``
    for another one (nothing was sent), one that dies after it has answered at most once.
    """
    payload = dict(claimed.payload)
    try:
        outcome = _answer(api, payload, line_account)
        _finish(claimed.id, EventStatus.DONE, "", {"type": payload.get("type")})
        db.session.commit()
    except Exception as exc:  # a bug must not stop the other events; the row keeps the payload
        log.exception("LINE event %s failed", claimed.webhook_event_id)
        db.session.rollback()  # the claim too: the event is "received" again
        _fail_unclaimed(claimed.id, exc, api, payload)
        return
    if outcome is None or not outcome.messages:
        return
    try:
        with organization_scope(outcome.organization_id or claimed_in):
            _deliver(api, payload, outcome, claimed.webhook_event_id)
        sync_database_setting(db.session)
    except Exception as exc:  # a bug while sending: record it with the payload, apologise
        log.exception("LINE event %s failed", claimed.webhook_event_id)
        db.session.rollback()
        _finish(claimed.id, EventStatus.FAILED, _error_text(exc), payload)
        db.session.commit()
        _apologise(api, payload)


def _error_text(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _fail_unclaimed(
    event_row_id: int, exc: Exception, api: LineApi, payload: dict[str, Any]
) -> None:
    """Record a failed event and apologise, unless another processor has claimed it since."""
    failed = db.session.connection().execute(
        _fail_unclaimed_statement(),
        {"event_row_id": event_row_id, "error": _error_text(exc), "at": utcnow()},
    )
    db.session.commit()
    if failed.rowcount == 1:
        _apologise(api, payload)


def _finish(event_row_id: int, status: str, error: str, payload: dict[str, Any]) -> None:
    values = {"status": status, "error": error, "kept": payload, "at": utcnow()}
    db.session.connection().execute(_finish_statement(), {"event_row_id": event_row_id, **values})


def _answer(api: LineApi, payload: dict[str, Any], line_account: str) -> Outcome | None:
    """The conversation's answer to the event; its step is saved in this transaction."""
    incoming = incoming_from(payload)
    if incoming is None:
        return None
    conversation = load_conversation(incoming.user_id, line_account)
    outcome = Conversation(conversation, api, utcnow()).handle(incoming)
    # The platform's account may have answered in another body's scope: the event's end is
    # written (by a Core statement, which sets nothing) in the event's own.
    sync_database_setting(db.session)
    return outcome


def _event_time(payload: dict[str, Any]) -> datetime | None:
    millis = payload.get("timestamp")
    if not isinstance(millis, int):
        return None
    try:
        return datetime.fromtimestamp(millis / 1000, tz=utcnow().tzinfo)
    except (OverflowError, OSError, ValueError):  # a time no calendar holds
        return None


def send(
    api: LineApi,
    payload: dict[str, Any],
    messages: Sequence[Message],
    retry_key: str,
) -> None:
    """Reply with the event's token while it is valid, else push; ``LineUnavailable`` if down.

    A 5xx or a timeout on the reply is not followed by a push: LINE may have delivered the
    reply, and a push would show it twice.
    """
    user_id = user_id_of(payload)
    reply_token = _text_field(payload.get("replyToken"), MAX_REPLY_TOKEN)
    sent_at = _event_time(payload)
    fresh = sent_at is not None and utcnow() - sent_at < REPLY_TOKEN_LIFETIME
    if reply_token and fresh:
        try:
            api.reply(reply_token, messages)
            return
        except ReplyTokenRefused:
            pass
    api.push(user_id, messages, retry_key)


def _deliver(api: LineApi, payload: dict[str, Any], outcome: Outcome, event_id: str) -> None:
    retry_key = str(uuid.uuid5(_RETRY_KEY_NAMESPACE, event_id))
    receipt = None
    if outcome.case_id is not None:
        # The answer is the case's receipt, also queued in the outbox: claim it first, as a
        # worker would, so that the bot or a worker sends it, never both.
        receipt = take_over(db.session, outcome.case_id, DeliveryChannel.LINE, RECEIPT_TEMPLATE)
        if receipt is None:
            log.info("a notification worker is pushing the receipt of case %s", outcome.case_id)
            return
        # A fallback push carries the outbox's key: if it times out after LINE took it, the
        # worker's later push of the same receipt gets 409 instead of showing it twice.
        retry_key = receipt.retry_key
    try:
        send(api, payload, outcome.messages, retry_key)
    except LineUnavailable as exc:
        log.warning("LINE did not take the answer to %s: %s", event_id, exc)
        if receipt is not None:
            # The case is stored; the outbox tells the resident once LINE is back.
            give_back(db.session, receipt, str(exc))
        return
    if receipt is not None:
        mark_delivered(db.session, receipt, "delivered as the LINE bot's answer")


def _apologise(api: LineApi, payload: dict[str, Any]) -> None:
    if not user_id_of(payload):
        return
    retry_key = str(uuid.uuid5(_RETRY_KEY_NAMESPACE, f"failed:{payload.get('webhookEventId')}"))
    try:
        send(api, payload, [m.text(m.PROCESSING_FAILED)], retry_key)
    except LineUnavailable:
        return


def fail_abandoned(now: datetime) -> None:
    """Mark failed the events claimed but never finished (their processor died).

    After ``ABANDONED_AFTER``, so that the resident's later events are not held up by them.
    """
    with unit_of_work(db.session) as session:
        session.execute(
            update(LineWebhookEvent)
            .where(
                LineWebhookEvent.status == EventStatus.PROCESSING,
                LineWebhookEvent.claimed_at <= now - ABANDONED_AFTER,
            )
            .values(status=EventStatus.FAILED, error="abandoned while processing", processed_at=now)
        )


def process_pending(now: datetime | None = None) -> int:
    """Process events left behind (no processor ran); return how many were waiting."""
    now = now or utcnow()
    fail_abandoned(now)
    ids = db.session.scalars(
        select(LineWebhookEvent.id)
        .where(
            LineWebhookEvent.status == EventStatus.RECEIVED,
            LineWebhookEvent.created_at <= now - STALE_AFTER,
        )
        .order_by(LineWebhookEvent.id)
    ).all()
    for event_row_id in ids:
        process_in_its_organization(event_row_id)
    return len(ids)
