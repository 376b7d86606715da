"""Channels that deliver a rendered message: email over SMTP and LINE push.

A sender either returns (the channel accepted the message) or raises ``DeliveryError``. Senders
never touch the database; the worker records the outcome.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any, Protocol

import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    TextMessage,
)

from app.outbox import DeliveryChannel
from notifications.errors import DeliveryError

SMTP_TIMEOUT_SECONDS = 10
LINE_TEXT_LIMIT = 5000  # LINE refuses longer text messages
HTTP_CONFLICT = 409  # LINE: a request with this retry key was already accepted
HTTP_TOO_MANY_REQUESTS = 429


@dataclass(frozen=True)
class OutgoingMessage:
    """A rendered message, ready for its channel."""

    id: int
    channel: str
    recipient: str
    subject: str
    text: str
    retry_key: str
    # The name in an e-mail's From header: the sending body's (its mail sender name, else its
    # name); empty means the installation's ORG_NAME.
    sender_name: str = ""
    # LINE: the access token of the account the resident used (a body's own, the platform's);
    # empty means the installation's LINE_CHANNEL_ACCESS_TOKEN.
    line_token: str = field(default="", repr=False)


class Sender(Protocol):
    """Delivers messages of one channel."""

    def send(self, message: OutgoingMessage) -> None:
        """Hand ``message`` to the channel or raise ``DeliveryError``."""

    def close(self) -> None:
        """Release connections."""


class EmailSender:
    """Sends plain-text UTF-8 email through an SMTP server (STARTTLS when ``use_tls``)."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.server = config["MAIL_SERVER"]
        self.port = int(config["MAIL_PORT"])
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.use_tls = bool(config["MAIL_USE_TLS"])
        self.default_sender_name = config["ORG_NAME"]
        self.from_address = config["MAIL_FROM"]
        self.domain = config["MAIL_FROM"].rpartition("@")[2] or "localhost"

    def _build(self, message: OutgoingMessage) -> EmailMessage:
        email = EmailMessage()
        sender_name = message.sender_name or self.default_sender_name
        email["From"] = Address(display_name=sender_name, addr_spec=self.from_address)
        email["To"] = message.recipient
        email["Subject"] = message.subject
        email["Date"] = formatdate(localtime=False)
        # The same id on every attempt lets mail clients drop a copy sent twice after a crash.
        email["Message-ID"] = f"<{message.retry_key}@{self.domain}>"
        email.set_content(message.text)
        return email

    def send(self, message: OutgoingMessage) -> None:
        """Send one email; SMTP 5xx answers are permanent, everything else is retried."""
        email = self._build(message)
        try:
            with smtplib.SMTP(self.server, self.port, timeout=SMTP_TIMEOUT_SECONDS) as smtp:
                if self.use_tls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            permanent = all(500 <= code < 600 for code in codes)
            raise DeliveryError(f"SMTP refused the recipient: {codes}", permanent) from exc
        except smtplib.SMTPResponseException as exc:
            permanent = 500 <= exc.smtp_code < 600
            # Decoded, not repr'd: a Thai address would otherwise become byte escapes that
            # recipients.redact could not find and remove.
            reason = smtp_reply_text(exc.smtp_error)
            raise DeliveryError(f"SMTP {exc.smtp_code}: {reason}", permanent) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(f"SMTP server unreachable: {exc}") from exc

    def close(self) -> None:
        """Nothing to release: one connection per message."""


def smtp_reply_text(reply: bytes | str) -> str:
    """An SMTP server's reply as text."""
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


class LineSender:
    """Pushes text messages through LINE's Messaging API with the SDK.

    Every push carries ``X-Line-Retry-Key`` (the row's ``retry_key``): if a worker dies after LINE
    accepted a push but before the row was marked sent, the next attempt gets 409 Conflict instead
    of a second message on the resident's phone, and 409 counts as delivered.
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = config["LINE_API_BASE_URL"]
        self.default_token = config["LINE_CHANNEL_ACCESS_TOKEN"]
        # The bot's setting: one place says how long anything of ours waits for LINE.
        self.timeout = config["LINE_API_TIMEOUT_MS"] / 1000
        # One client per account's token, each keeping its connections to LINE.
        self._clients: dict[str, tuple[ApiClient, MessagingApi]] = {}

    def _api(self, token: str) -> MessagingApi:
        if token not in self._clients:
            configuration = Configuration(host=self.host, access_token=token)
            configuration.retries = False  # the worker retries, with backoff and a dead-letter end
            client = ApiClient(configuration)
            self._clients[token] = (client, MessagingApi(client))
        return self._clients[token][1]

    def send(self, message: OutgoingMessage) -> None:
        """Push one text message; 4xx answers other than 409 and 429 are permanent."""
        token = message.line_token or self.default_token
        if not token:
            raise DeliveryError("LINE is not configured for this body's account; it waits")
        request = PushMessageRequest(
            to=message.recipient, messages=[TextMessage(text=message.text[:LINE_TEXT_LIMIT])]
        )
        try:
            self._api(token).push_message_with_http_info(
                request, x_line_retry_key=message.retry_key, _request_timeout=self.timeout
            )
        except ApiException as exc:
            status = int(exc.status or 0)
            if status == HTTP_CONFLICT:
                return
            permanent = 400 <= status < 500 and status != HTTP_TOO_MANY_REQUESTS
            raise DeliveryError(f"LINE API {status} {exc.reason or ''}".strip(), permanent) from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise DeliveryError(f"LINE API unreachable: {exc}") from exc

    def close(self) -> None:
        """Close the HTTP connection pools."""
        for client, _api in self._clients.values():
            client.close()
        self._clients.clear()


def unavailable_channels(
    config: Mapping[str, Any], bodies_have_line: bool = False
) -> dict[str, str]:
    """Channels that are not configured, with the reason shown on their waiting messages.

    LINE is configured when the installation, the platform or any body (``bodies_have_line``)
    has an account.
    """
    reasons = {}
    if not (config["MAIL_SERVER"] and config["MAIL_FROM"]):
        reasons[DeliveryChannel.EMAIL.value] = (
            "email is not configured: set MAIL_SERVER and MAIL_FROM; the message waits"
        )
    tokens = (config["LINE_CHANNEL_ACCESS_TOKEN"], config["LINE_PLATFORM_CHANNEL_ACCESS_TOKEN"])
    if not (any(tokens) or bodies_have_line):
        reasons[DeliveryChannel.LINE.value] = (
            "LINE is not configured: set LINE_CHANNEL_ACCESS_TOKEN; the message waits"
        )
    return reasons


def senders_from_config(
    config: Mapping[str, Any], bodies_have_line: bool = False
) -> dict[str, Sender]:
    """A sender for every configured channel."""
    unavailable = unavailable_channels(config, bodies_have_line)
    builders: dict[str, type[EmailSender] | type[LineSender]] = {
        DeliveryChannel.EMAIL.value: EmailSender,
        DeliveryChannel.LINE.value: LineSender,
    }
    return {
        channel: build(config) for channel, build in builders.items() if channel not in unavailable
    }
