"""LINE events reduced to what the conversation needs: who did what (``Incoming``).

Parsed with the official SDK from the stored webhook payload; events without a user to answer
(from a group, or of an unknown shape) give None or an ``other`` input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    ImageMessageContent,
    LocationMessageContent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from line_bot import messages as m


@dataclass
class Incoming:
    """One thing the resident did, reduced to what the conversation needs."""

    kind: str  # follow, unfollow, text, postback, image, location, other
    user_id: str
    text: str = ""
    action: str = ""
    value: str = ""
    message_id: str = ""
    address: str = ""
    latitude: float | None = None
    longitude: float | None = None


def _from_message(event: MessageEvent, user_id: str) -> Incoming:
    content = event.message
    if isinstance(content, TextMessageContent):
        typed = " ".join(content.text.split())
        return Incoming("text", user_id, text=typed, action=m.COMMAND_WORDS.get(typed, ""))
    if isinstance(content, ImageMessageContent):
        return Incoming("image", user_id, message_id=content.id)
    if isinstance(content, LocationMessageContent):
        place = content.address or content.title or ""
        return Incoming(
            "location",
            user_id,
            address=place,
            latitude=content.latitude,
            longitude=content.longitude,
        )
    return Incoming("other", user_id)


# LINE user ids are "U" and 32 hex digits; anything longer is not one (and would not fit).
MAX_USER_ID = 64


def user_id_of(payload: dict[str, Any]) -> str:
    """The LINE user id of an event's source, or "" when it has none of the documented shape."""
    source = payload.get("source")
    user_id = source.get("userId") if isinstance(source, dict) else None
    if isinstance(user_id, str) and 0 < len(user_id) <= MAX_USER_ID and user_id.isprintable():
        return user_id
    return ""


def incoming_from(payload: dict[str, Any]) -> Incoming | None:
    """Parse a stored event with the SDK; None for events without a user to answer."""
    user_id = user_id_of(payload)
    if not user_id:
        return None
    try:
        event = Event.from_dict(payload)
    except (ValueError, TypeError, AttributeError):  # a type this SDK does not know, odd fields
        return Incoming("other", user_id)
    if isinstance(event, FollowEvent):
        return Incoming("follow", user_id)
    if isinstance(event, UnfollowEvent):
        return Incoming("unfollow", user_id)
    if isinstance(event, PostbackEvent):
        data = parse_qs(event.postback.data)
        action = data.get("action", [""])[0]
        # LINE's own example postback ("action=status") asks for the resident's cases.
        action = m.MY_CASES if action == "status" else action
        return Incoming("postback", user_id, action=action, value=data.get("value", [""])[0])
    if isinstance(event, MessageEvent):
        return _from_message(event, user_id)
    return Incoming("other", user_id)
