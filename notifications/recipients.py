"""Recipients the outbox must not hold: looked up by the capability that owns them, at delivery.

The integrity track's "there is news" email must not leave the reporter's address in the
``notifications`` table, where a database dump would show who reported. Such a message is queued
with an empty ``recipient`` and a reference in its context (for example the report's id); the
owning capability registers a resolver for the template at start-up
(``app.outbox.register_private_recipient``), the worker
asks it for the address only while sending, and once the message is sent or dead the worker
blanks the reference (``Worker.record``). Notifications never import that capability: it plugs
itself in, so the protected track stays out of general code's reach.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from app import outbox
from app.outbox import Notification
from notifications.errors import DeliveryError

REDACTED = "<recipient>"


def is_private(template: str) -> bool:
    """Whether messages of ``template`` keep their recipient out of the outbox."""
    return outbox.private_resolver(template) is not None


def recipient_of(session: Session, row: Notification) -> str:
    """Where ``row`` goes: its own ``recipient``, or its owner's answer for a private template.

    Raises ``DeliveryError(permanent=True)`` when the owner no longer knows the address (the
    report was purged): there is nobody left to tell.
    """
    resolver = outbox.private_resolver(row.template)
    if resolver is None:
        return row.recipient
    recipient = resolver(session, row.context)
    if not recipient:
        raise DeliveryError("the recipient is no longer known", permanent=True)
    return recipient


def redact(text: str, recipient: str) -> str:
    """``text`` without ``recipient`` (mail servers quote the address in their refusals)."""
    if not recipient:
        return text
    return re.sub(re.escape(recipient), REDACTED, text, flags=re.IGNORECASE)
