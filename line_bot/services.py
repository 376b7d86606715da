"""Receiving LINE webhook events and answering them.

Design: the webhook stores every event first (``store_events``: one row per ``webhookEventId``,
unique, committed before LINE gets its 200) and processes it afterwards (``process_event``),
in the same worker right after the response has been sent (see ``line_bot.routes``). Why:

- LINE counts a webhook as failed after 2 seconds. Downloading a photo or filing a case and
  calling LINE's API back can take longer, so none of that happens before the 200.
- Nothing is lost: an event is in the database before LINE is told it arrived. If the process
  dies before processing, ``process_pending`` (``flask line process-pending``, run from cron or
  next to the notification worker) picks up events left unprocessed.
- At most once: a redelivered event (same ``webhookEventId``, ``isRedelivery`` or not) finds its
  row and is skipped; processing claims a row with a conditional UPDATE, so two workers never
  process the same event.
- In order: LINE may deliver a resident's quick taps in parallel requests; an event is claimed
  only when it is its resident's oldest unfinished one, and whoever finishes an event goes on
  with the ones that waited behind it.
- Processing right after the response, rather than only by a worker, keeps the reply token
  usable: the resident gets an immediate answer, and no separate process is needed to chat.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from linebot.v3.messaging import Message
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import utcnow
from line_bot import messages as m
from line_bot.channel import LineApi, LineUnavailable, ReplyTokenRefused, line_api
from line_bot.conversation import Conversation, Outcome, incoming_from, load_conversation
from line_bot.models import EventStatus, LineWebhookEvent
from notifications.models import DeliveryChannel
from notifications.services import give_back, mark_delivered, take_over

log = logging.getLogger(__name__)

# LINE accepts a reply token for a short while after the event; older events are pushed to.
REPLY_TOKEN_LIFETIME = timedelta(seconds=50)
# An event still unprocessed after this long was left behind (the process stopped).
STALE_AFTER = timedelta(seconds=30)
ABANDONED_AFTER = timedelta(minutes=10)
RECEIPT_TEMPLATE = "case_received"
_RETRY_KEY_NAMESPACE = uuid.UUID("5b0c8a52-0f7e-4c5e-9a43-8f1f3f3a2f10")


def store_events(body: dict[str, Any]) -> list[int]:
    """Store the events of a verified webhook body; return the ids of the new rows.

    An event already stored (a redelivery) is skipped. Commits before returning.
    """
    stored: list[int] = []
    for event in body.get("events") or []:
        event_id = event.get("webhookEventId") if isinstance(event, dict) else None
        if not isinstance(event_id, str) or not event_id:
            continue
        row = LineWebhookEvent(
            webhook_event_id=event_id[:64],
            event_type=str(event.get("type", ""))[:40],
            line_user_id=((event.get("source") or {}).get("userId") or None),
            is_redelivery=bool((event.get("deliveryContext") or {}).get("isRedelivery")),
            payload=event,
            status=EventStatus.RECEIVED,
        )
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:
            continue  # the same webhookEventId is already stored: processed at most once
        stored.append(row.id)
    db.session.commit()
    return stored


def _claim(event_row_id: int) -> bool:
    """Take the event for processing if it is its resident's oldest unfinished one.

    One conditional UPDATE: two processors never both win, and a resident's events are answered
    in the order LINE sent them (a later one waits while an earlier one is unfinished).
    """
    row = LineWebhookEvent
    earlier = aliased(LineWebhookEvent)
    unfinished_earlier = exists().where(
        earlier.line_user_id == row.line_user_id,
        earlier.id < row.id,
        earlier.status.in_((EventStatus.RECEIVED, EventStatus.PROCESSING)),
    )
    claimed = db.session.execute(
        update(row)
        .where(row.id == event_row_id, row.status == EventStatus.RECEIVED, ~unfinished_earlier)
        .values(status=EventStatus.PROCESSING, claimed_at=utcnow())
    )
    db.session.commit()
    return claimed.rowcount == 1  # type: ignore[attr-defined]


def _next_for(user_id: str | None) -> int | None:
    if user_id is None:
        return None
    return db.session.scalar(
        select(func.min(LineWebhookEvent.id)).where(
            LineWebhookEvent.line_user_id == user_id,
            LineWebhookEvent.status == EventStatus.RECEIVED,
        )
    )


def process_event(event_row_id: int) -> None:
    """Answer the stored event, then the resident's events that waited behind it; each once.

    If an earlier event of the same resident is still unfinished, this one is left for whoever
    finishes that one (or for ``process_pending``).
    """
    api = line_api()
    if api is None:
        return  # not configured: the event waits for process_pending once it is
    user_id = db.session.scalar(
        select(LineWebhookEvent.line_user_id).where(LineWebhookEvent.id == event_row_id)
    )
    next_id: int | None = event_row_id
    while next_id is not None and _claim(next_id):
        _process_claimed(api, next_id)
        next_id = _next_for(user_id)


def _process_claimed(api: LineApi, event_row_id: int) -> None:
    """Answer one claimed event. A failure is recorded, never raised to LINE."""
    row = db.session.get(LineWebhookEvent, event_row_id)
    assert row is not None
    payload = dict(row.payload)
    try:
        _answer(api, row, payload)
    except Exception as exc:  # a bug must not stop the other events; the row keeps the payload
        log.exception("LINE event %s failed", row.webhook_event_id)
        db.session.rollback()
        _finish(event_row_id, EventStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000], payload)
        _apologise(api, payload)
        return
    _finish(event_row_id, EventStatus.DONE, "", {"type": payload.get("type")})


def _finish(event_row_id: int, status: str, error: str, payload: dict[str, Any]) -> None:
    db.session.execute(
        update(LineWebhookEvent)
        .where(LineWebhookEvent.id == event_row_id)
        .values(status=status, error=error, payload=payload, processed_at=utcnow())
    )
    db.session.commit()


def _answer(api: LineApi, row: LineWebhookEvent, payload: dict[str, Any]) -> None:
    incoming = incoming_from(payload)
    if incoming is None:
        return
    conversation = load_conversation(incoming.user_id)
    outcome = Conversation(conversation, api, utcnow()).handle(incoming)
    db.session.commit()  # the conversation is saved before anything is sent
    if outcome.messages:
        _deliver(api, payload, outcome, row.webhook_event_id)


def _event_time(payload: dict[str, Any]) -> datetime | None:
    millis = payload.get("timestamp")
    if not isinstance(millis, int):
        return None
    return datetime.fromtimestamp(millis / 1000, tz=utcnow().tzinfo)


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
    user_id = (payload.get("source") or {}).get("userId") or ""
    reply_token = payload.get("replyToken")
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
    if not (payload.get("source") or {}).get("userId"):
        return
    retry_key = str(uuid.uuid5(_RETRY_KEY_NAMESPACE, f"failed:{payload.get('webhookEventId')}"))
    try:
        send(api, payload, [m.text(m.PROCESSING_FAILED)], retry_key)
    except LineUnavailable:
        return


def process_pending(now: datetime | None = None) -> int:
    """Process events left behind (the app stopped); return how many were waiting.

    An event claimed but never finished (the process died while handling it) is marked failed
    after ``ABANDONED_AFTER``, so that the resident's later events are not held up by it.
    """
    now = now or utcnow()
    db.session.execute(
        update(LineWebhookEvent)
        .where(
            LineWebhookEvent.status == EventStatus.PROCESSING,
            LineWebhookEvent.claimed_at <= now - ABANDONED_AFTER,
        )
        .values(status=EventStatus.FAILED, error="abandoned while processing", processed_at=now)
    )
    db.session.commit()
    ids = db.session.scalars(
        select(LineWebhookEvent.id)
        .where(
            LineWebhookEvent.status == EventStatus.RECEIVED,
            LineWebhookEvent.created_at <= now - STALE_AFTER,
        )
        .order_by(LineWebhookEvent.id)
    ).all()
    for event_row_id in ids:
        process_event(event_row_id)
    return len(ids)
