"""A real SMTP server on 127.0.0.1 (aiosmtpd) and apps configured to use it."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.header import decode_header, make_header
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from app.extensions import db
from app.models import utcnow
from notifications.worker import Worker, worker_for
from tests.fakes.line_api import FakeLineApi


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class SmtpInbox:
    """What the local SMTP server received; ``refuse`` makes it answer the next DATA with codes."""

    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse:
            return self.refuse.pop(0)
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        return "250 OK"

    @staticmethod
    def sender_name(message: EmailMessage) -> str:
        """The From display name, decoded as mail clients do (joining adjacent encoded words)."""
        raw = email.message_from_bytes(message.as_bytes(), policy=email.policy.compat32)["From"]
        return str(make_header(decode_header(raw))).rsplit(" <", 1)[0]

    def to(self, address: str) -> list[EmailMessage]:
        """Messages addressed to ``address``."""
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp_server() -> Iterator[SmtpInbox]:
    """A real SMTP server on 127.0.0.1 that keeps what it receives."""
    inbox = SmtpInbox(port=free_port())
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


def mail_settings(port: int) -> dict[str, Any]:
    """Settings that send email to the local server at ``port``."""
    return {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": port,
        "MAIL_USE_TLS": False,
        "MAIL_FROM": "noreply@johor.go.th",
        "PUBLIC_BASE_URL": "https://rongrian.example",
    }


@pytest.fixture
def mail_app(app_factory: Callable[..., Flask], smtp_server: SmtpInbox) -> Iterator[Flask]:
    """The app, with email going to ``smtp_server`` (LINE unconfigured)."""
    application = app_factory(**mail_settings(smtp_server.port))
    with application.app_context():
        yield application


def line_settings(base_url: str) -> dict[str, Any]:
    """Settings that push LINE messages to the fake LINE API at ``base_url``."""
    return {"LINE_CHANNEL_ACCESS_TOKEN": "test-channel-token", "LINE_API_BASE_URL": base_url}


@pytest.fixture
def notify_app(
    app_factory: Callable[..., Flask], smtp_server: SmtpInbox, line_api: FakeLineApi
) -> Iterator[Flask]:
    """The app with both channels configured: email to ``smtp_server``, LINE to ``line_api``."""
    application = app_factory(**mail_settings(smtp_server.port), **line_settings(line_api.base_url))
    with application.app_context():
        yield application


class Clock:
    """Real time plus an offset the test moves forward, so backoff needs no waiting."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return utcnow() + self.offset

    def advance(self, **delta: float) -> None:
        """Move time forward."""
        self.offset += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    """A controllable clock for workers."""
    return Clock()


@pytest.fixture
def worker_factory(clock: Clock) -> Iterator[Callable[[Flask], Worker]]:
    """Build workers for an app, on the test's transaction, with the test's clock."""
    built: list[Worker] = []

    def build(application: Flask) -> Worker:
        worker = worker_for(application.config, db.new_session)
        worker.clock = clock
        built.append(worker)
        return worker

    yield build
    for worker in built:
        worker.close()
