"""The development simulator: builds events exactly as LINE sends them, for a simulated user.

The simulator page (``simulator_page``) asks for an event, gets the body and its signature, and
posts them to the real webhook like LINE's servers would; the bot's answers land in the
``SimulatorInbox`` and the page polls them. Only enabled in development (``LINE_SIMULATOR_ENABLED``,
refused in production): it signs anything, so in production it would let anyone pose as any
resident.
"""

from __future__ import annotations

import json
import secrets
import time
from typing import Any

from line_bot.channel import SimulatorInbox

_ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
DESTINATION = "U" + "0" * 32


def new_user_id() -> str:
    """A LINE-shaped user id for one browser session of the simulator."""
    return "U" + secrets.token_hex(16)


def _event_id() -> str:
    return "01J" + "".join(secrets.choice(_ULID_ALPHABET) for _ in range(23))


def build_event(
    inbox: SimulatorInbox, user_id: str, kind: str, fields: dict[str, Any]
) -> dict[str, Any]:
    """One webhook event of type ``kind`` (text, postback, location, image, sticker, follow)."""
    reply_token = secrets.token_hex(16)
    inbox.expect_reply(reply_token, user_id)
    event: dict[str, Any] = {
        "type": "message",
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "source": {"type": "user", "userId": user_id},
        "webhookEventId": _event_id(),
        "deliveryContext": {"isRedelivery": False},
        "replyToken": reply_token,
    }
    message_id = str(secrets.randbelow(10**15))
    if kind == "follow":
        event.update(type="follow", follow={"isUnblocked": False})
    elif kind == "postback":
        event.update(type="postback", postback={"data": str(fields.get("data", ""))[:300]})
    elif kind == "location":
        event["message"] = {
            "id": message_id,
            "type": "location",
            "title": str(fields.get("title", ""))[:100],
            "address": str(fields.get("address", ""))[:300],
            "latitude": float(fields.get("latitude", 0)),
            "longitude": float(fields.get("longitude", 0)),
        }
    elif kind == "image":
        event["message"] = {
            "id": str(fields["message_id"]),
            "type": "image",
            "quoteToken": secrets.token_urlsafe(8),
            "contentProvider": {"type": "line"},
        }
    elif kind == "sticker":
        event["message"] = {
            "id": message_id,
            "type": "sticker",
            "quoteToken": secrets.token_urlsafe(8),
            "packageId": "446",
            "stickerId": "1988",
            "stickerResourceType": "STATIC",
            "keywords": ["Happy"],
        }
    else:
        event["message"] = {
            "id": message_id,
            "type": "text",
            "quoteToken": secrets.token_urlsafe(8),
            "text": str(fields.get("text", ""))[:5000],
        }
    return event


def webhook_body(event: dict[str, Any]) -> bytes:
    """The request body LINE would send with ``event``."""
    return json.dumps({"destination": DESTINATION, "events": [event]}, ensure_ascii=False).encode()
