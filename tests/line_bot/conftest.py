"""A LINE-enabled app whose SDK talks to the fake LINE API, and a resident chatting with it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from line_bot.models import LineConversation
from line_bot.services import process_ready
from tests.factories import THAI_DETAILS
from tests.fakes.line_api import FakeLineApi, RecordedRequest
from tests.fakes.line_webhook import (
    USER_ID,
    WEBHOOK_PATH,
    line_event,
    signed_post,
    webhook_body,
)

SECRET = "test-channel-secret"
PUBLIC = "https://rongrian.example"


def conversation_of(user_id: str, account: str = "") -> LineConversation | None:
    """The current body's conversation with ``user_id`` through ``account``."""
    return db.session.scalar(
        select(LineConversation).where(
            LineConversation.line_user_id == user_id, LineConversation.line_account == account
        )
    )


@pytest.fixture
def line_settings(line_api: FakeLineApi) -> dict[str, Any]:
    """Settings pointing the SDK at the fake (both API hosts)."""
    return {
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": "test-access-token",
        "LINE_API_BASE_URL": line_api.base_url,
        "LINE_DATA_API_BASE_URL": line_api.base_url,
        "LINE_API_TIMEOUT_MS": 300,
        "PUBLIC_BASE_URL": PUBLIC,
    }


@pytest.fixture
def line_app(app_factory: Callable[..., Flask], line_settings: dict[str, Any]) -> Iterator[Flask]:
    """The app with LINE configured, inside an application context."""
    app = app_factory(**line_settings)
    with app.app_context():
        yield app


class Resident:
    """A resident chatting with the bot through LINE (real signed webhooks, real SDK)."""

    def __init__(
        self,
        app: Flask,
        fake: FakeLineApi,
        user_id: str = USER_ID,
        webhook: str = WEBHOOK_PATH,
        secret: str = SECRET,
    ) -> None:
        self.client = app.test_client()
        self.fake = fake
        self.user_id = user_id
        self.webhook = webhook  # the account's webhook: a body's, or the platform's
        self.secret = secret
        self.last_answer: list[RecordedRequest] = []

    def deliver(self, body: bytes, secret: str | None = None) -> list[str]:
        """Post a webhook body and let a processor answer it (as ``flask line run`` would);
        return the texts LINE accepted for the resident in answer.
        """
        seen = len(self.fake.requests)
        response = signed_post(self.client, body, secret or self.secret, path=self.webhook)
        assert response.status_code == 200, response.data
        assert self.fake.requests[seen:] == [], "the webhook itself must not call LINE"
        process_ready()
        answer = [
            r
            for r in self.fake.requests[seen:]
            if r.path in ("/v2/bot/message/reply", "/v2/bot/message/push") and r.status == 200
        ]
        self.last_answer = answer or self.last_answer  # silence leaves the old buttons on screen
        return [text for request in answer for text in request.texts]

    def send(self, name: str, **fields: Any) -> list[str]:
        """Send one event built from the reference body ``name``."""
        return self.deliver(webhook_body(line_event(name, user_id=self.user_id, **fields)))

    def say(self, text: str) -> list[str]:
        """Type a text message."""
        return self.send("text", text=text)

    def quick_replies(self) -> list[dict[str, Any]]:
        """The quick reply buttons under the bot's last answer."""
        items: list[dict[str, Any]] = []
        for request in self.last_answer:
            for message in request.json["messages"]:
                items = (message.get("quickReply") or {}).get("items", []) or items
        return [item["action"] for item in items]

    def tap(self, label: str) -> list[str]:
        """Tap the quick reply button labelled ``label`` (a postback, as LINE sends it)."""
        actions = {action["label"]: action for action in self.quick_replies()}
        assert label in actions, f"no button {label!r} in {list(actions)}"
        return self.send("postback", postback_data=actions[label]["data"])


def file_case(resident: Resident, first_time: bool = True) -> list[str]:
    """File a case from the first question (the privacy notice the first time) to the receipt."""
    if first_time:
        resident.tap("ยอมรับ")
    resident.tap("ร้องเรียน")
    resident.tap(resident.quick_replies()[0]["label"])
    resident.say(THAI_DETAILS)
    resident.tap("ถัดไป")
    resident.tap("ข้าม")
    if any(a["label"] == "ส่งเรื่องของฉัน" for a in resident.quick_replies()):
        resident.tap("ส่งเรื่องของฉัน")  # likely duplicates of an earlier case were shown
    resident.tap("ไม่เผยแพร่")
    return resident.tap("ยืนยันส่ง")


@pytest.fixture
def resident(line_app: Flask, line_api: FakeLineApi) -> Resident:
    """A resident of the fixtures' LINE user id."""
    return Resident(line_app, line_api)
