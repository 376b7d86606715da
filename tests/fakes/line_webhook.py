"""Building and signing LINE webhook bodies the way LINE does, for tests and benchmarks.

Events are built from the reference bodies in ``line_events/`` (copied from the shared fixtures
so CI has them): take one event, give it a fresh ``webhookEventId`` and ``replyToken`` (each real
event has its own), change what the test needs, serialise, then sign the exact bytes sent.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import secrets
import time
from functools import cache
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

EVENTS_DIR = Path(__file__).parent / "line_events"
WEBHOOK_PATH = "/line/webhook"
USER_ID = "U206d25c2ea6bd87c17655609a1c37cb8"
_ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def fixture_bytes(name: str) -> bytes:
    """The reference body ``name`` (e.g. ``"text"``) exactly as stored."""
    return (EVENTS_DIR / f"{name}.json").read_bytes()


@cache
def _fixture(name: str) -> dict[str, Any]:
    return json.loads(fixture_bytes(name))  # type: ignore[no-any-return]


def new_event_id() -> str:
    """A fresh ULID-shaped ``webhookEventId`` (26 characters, like LINE's)."""
    return "01J" + "".join(secrets.choice(_ULID_ALPHABET) for _ in range(23))


def line_event(
    name: str,
    *,
    user_id: str = USER_ID,
    event_id: str | None = None,
    reply_token: str | None = None,
    redelivery: bool = False,
    postback_data: str | None = None,
    **message_fields: Any,
) -> dict[str, Any]:
    """One event from the reference body ``name`` with fresh ids; message fields may be changed.

    ``line_event("text", text="สวัสดี")`` is a text message; ``line_event("image", id="9")`` an
    image whose content the fake serves under message id 9.
    """
    event = copy.deepcopy(_fixture(name)["events"][0])
    event["webhookEventId"] = event_id or new_event_id()
    event["timestamp"] = int(time.time() * 1000)
    event["deliveryContext"] = {"isRedelivery": redelivery}
    event["source"]["userId"] = user_id
    if "replyToken" in event:
        event["replyToken"] = reply_token or secrets.token_hex(16)
    if message_fields:
        event["message"].update(message_fields)
    if postback_data is not None:
        event["postback"]["data"] = postback_data
    return event


def webhook_body(*events: dict[str, Any]) -> bytes:
    """The request body LINE would send with ``events`` (UTF-8 JSON, Thai unescaped)."""
    destination = _fixture("verify")["destination"]
    return json.dumps(
        {"destination": destination, "events": list(events)}, ensure_ascii=False
    ).encode()


def sign(body: bytes, secret: str) -> str:
    """LINE's ``x-line-signature``: Base64(HMAC-SHA256(channel secret, raw body bytes))."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_post(
    client: FlaskClient, body: bytes, secret: str, path: str = WEBHOOK_PATH
) -> TestResponse:
    """POST ``body`` to the webhook signed with ``secret``, as LINE's servers do.

    The response is buffered (closed before returning), so work the app does once the response
    is sent (the bot's processing) has run when this returns.
    """
    return client.post(
        path,
        data=body,
        buffered=True,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "x-line-signature": sign(body, secret),
        },
    )
