"""The bot's connection to LINE: settings, and the official SDK's clients for both API hosts.

``Configuration(host=...)`` (line-bot-sdk >= 3.27) sends every call to that host, so the bot
keeps two clients: one for the Messaging API (``LINE_API_BASE_URL``) and one for the blob API
that serves message content (``LINE_DATA_API_BASE_URL``). Tests and demos point both at a local
server.

In simulator mode (development, no access token) the SDK still builds and parses every request,
but its HTTP pool is replaced by ``SimulatorInbox``: the bot's messages are kept in memory for the
simulator page instead of going out. That pool is the only part swapped; an HTTP call back into
this same app would deadlock a single-threaded server while it is still handling the webhook.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import urllib3
from flask import current_app
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    Message,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    ReplyMessageRequest,
    RichMenuRequest,
    ShowLoadingAnimationRequest,
)

from app.extensions import db
from app.organizations.line_accounts import (
    OWN,
    PLATFORM,
    LineCredentials,
    installation_credentials,
    own_credentials,
    platform_credentials,
)
from app.organizations.models import Organization
from app.organizations.scope import current_organization_id

SIMULATOR_HOST = "http://line-simulator.invalid"
# Connections kept open to each LINE host: one per processor thread, so none is thrown away.
CONNECTION_POOL_SIZE = 32
INVALID_REPLY_TOKEN = 400


class LineUnavailable(Exception):
    """LINE's API failed or did not answer in time (5xx, timeout, connection refused)."""


class ReplyTokenRefused(Exception):
    """LINE refused the reply token (used or expired): the message must be pushed instead."""


@dataclass(frozen=True)
class ChannelSettings:
    """How to reach LINE for this app."""

    secret: str = field(repr=False)
    access_token: str = field(repr=False)
    api_base_url: str
    data_api_base_url: str
    timeout_seconds: float
    simulator: bool = False


def channel_settings(
    config: Mapping[str, Any], credentials: LineCredentials | None, simulate: bool = True
) -> ChannelSettings | None:
    """How to reach the account with ``credentials``; None when there is no account.

    Without credentials, development (``LINE_SIMULATOR_ENABLED``) gets the simulator when
    ``simulate`` (a body's account; the platform's has no simulator).
    """
    timeout = config["LINE_API_TIMEOUT_MS"] / 1000
    if credentials is None:
        if not (simulate and config["LINE_SIMULATOR_ENABLED"]):
            return None
        secret = config["LINE_CHANNEL_SECRET"] or simulator_secret(config["SECRET_KEY"])
        return ChannelSettings(secret, "simulator", SIMULATOR_HOST, SIMULATOR_HOST, timeout, True)
    return ChannelSettings(
        secret=credentials.secret,
        access_token=credentials.access_token,
        api_base_url=config["LINE_API_BASE_URL"].rstrip("/"),
        data_api_base_url=config["LINE_DATA_API_BASE_URL"].rstrip("/"),
        timeout_seconds=timeout,
    )


def body_settings(config: Mapping[str, Any], organization: Organization) -> ChannelSettings | None:
    """The settings of ``organization``'s own account (the installation's when it has none)."""
    own = own_credentials(organization)
    return channel_settings(config, own or installation_credentials(config))


def account_settings(account: str) -> ChannelSettings | None:
    """The settings of ``account`` (``OWN``: the current body's; ``PLATFORM``) in this context."""
    config = current_app.config
    if account == PLATFORM:
        return channel_settings(config, platform_credentials(config), simulate=False)
    organization_id = current_organization_id(db.session)
    organization = db.session.get(Organization, organization_id) if organization_id else None
    return body_settings(config, organization) if organization is not None else None


def simulator_secret(secret_key: str) -> str:
    """A development channel secret derived from ``SECRET_KEY`` (never a built-in constant)."""
    return hmac.new(secret_key.encode(), b"line-simulator", hashlib.sha256).hexdigest()


def _unavailable(exc: Exception) -> LineUnavailable:
    status = getattr(exc, "status", "")
    return LineUnavailable(f"LINE API {status or type(exc).__name__}: {exc}"[:500])


def _configuration(host: str, settings: ChannelSettings) -> Configuration:
    configuration = Configuration(host=host, access_token=settings.access_token)
    configuration.connection_pool_maxsize = CONNECTION_POOL_SIZE
    return configuration


class LineApi:
    """The calls the bot makes to LINE; SDK and network errors become our two exceptions.

    Replies and pushes call the SDK's ``*_with_http_info`` methods: ``reply_message`` only
    validates its arguments with pydantic and calls ``reply_message_with_http_info``, which
    validates them again; once is enough (a quarter of a millisecond per answer, measured).
    """

    def __init__(self, settings: ChannelSettings, inbox: SimulatorInbox | None = None) -> None:
        self._api_client = ApiClient(_configuration(settings.api_base_url, settings))
        self._data_client = ApiClient(_configuration(settings.data_api_base_url, settings))
        if inbox is not None:
            self._api_client.rest_client.pool_manager = inbox
            self._data_client.rest_client.pool_manager = inbox
        self.messaging = MessagingApi(self._api_client)
        self.blob = MessagingApiBlob(self._data_client)
        self.timeout = settings.timeout_seconds

    def reply(self, reply_token: str, messages: Sequence[Message]) -> None:
        """Answer an event with its reply token; ``ReplyTokenRefused`` if LINE refuses it."""
        request = ReplyMessageRequest(replyToken=reply_token, messages=list(messages))
        try:
            self.messaging.reply_message_with_http_info(request, _request_timeout=self.timeout)
        except ApiException as exc:
            if exc.status == INVALID_REPLY_TOKEN and "reply token" in str(exc.body).lower():
                raise ReplyTokenRefused(str(exc.body)) from exc
            raise _unavailable(exc) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise _unavailable(exc) from exc

    def push(self, user_id: str, messages: Sequence[Message], retry_key: str) -> None:
        """Send to ``user_id`` without a reply token; a repeated ``retry_key`` is not resent."""
        request = PushMessageRequest(to=user_id, messages=list(messages))
        try:
            self.messaging.push_message_with_http_info(
                request, x_line_retry_key=retry_key, _request_timeout=self.timeout
            )
        except ApiException as exc:
            if exc.status == 409:  # LINE already accepted this retry key: delivered once
                return
            raise _unavailable(exc) from exc
        except urllib3.exceptions.HTTPError as exc:
            raise _unavailable(exc) from exc

    def content(self, message_id: str) -> bytes:
        """The bytes of the resident's image (from the blob API host)."""
        try:
            return bytes(self.blob.get_message_content(message_id, _request_timeout=self.timeout))
        except (ApiException, urllib3.exceptions.HTTPError) as exc:
            raise _unavailable(exc) from exc

    def show_loading(self, user_id: str) -> None:
        """Show the typing animation while a slow step runs; failing here changes nothing."""
        try:
            self.messaging.show_loading_animation(
                ShowLoadingAnimationRequest(chatId=user_id, loadingSeconds=20),
                _request_timeout=self.timeout,
            )
        except (ApiException, urllib3.exceptions.HTTPError):
            return

    def create_default_rich_menu(self, menu: RichMenuRequest, image: bytes) -> str:
        """Create ``menu``, upload its PNG image and make it every user's default; return its id."""
        menu_id = self.messaging.create_rich_menu(menu).rich_menu_id
        self.blob.set_rich_menu_image(
            menu_id, body=bytearray(image), _headers={"Content-Type": "image/png"}
        )
        self.messaging.set_default_rich_menu(menu_id)
        return str(menu_id)


@dataclass
class SimulatedMessage:
    """A message the bot sent to a simulated resident."""

    seq: int
    user_id: str
    message: dict[str, Any]


@dataclass
class SimulatorInbox:
    """In-memory stand-in for LINE's servers, used as the SDK's urllib3 pool in simulator mode.

    It answers reply/push (keeping the messages per simulated user), loading animations and the
    content of photos the simulator uploaded. One process only: the simulator is a development
    page, served by the development server.
    """

    messages: list[SimulatedMessage] = field(default_factory=list)
    contents: dict[str, bytes] = field(default_factory=dict)
    reply_tokens: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def expect_reply(self, reply_token: str, user_id: str) -> None:
        """Remember whom a simulated event's reply token belongs to."""
        with self.lock:
            self.reply_tokens[reply_token] = user_id

    def add_content(self, data: bytes) -> str:
        """Keep an uploaded photo; return the message id the image event refers to."""
        message_id = str(uuid.uuid4().int)[:16]
        with self.lock:
            self.contents[message_id] = data
        return message_id

    def since(self, user_id: str, after: int) -> list[SimulatedMessage]:
        """Messages for ``user_id`` newer than sequence number ``after``."""
        with self.lock:
            return [m for m in self.messages if m.user_id == user_id and m.seq > after]

    def _deliver(self, user_id: str, messages: list[dict[str, Any]]) -> bytes:
        for message in messages:
            self.messages.append(SimulatedMessage(len(self.messages) + 1, user_id, message))
        return json.dumps({"sentMessages": [{"id": str(m)} for m in range(len(messages))]}).encode()

    def request(
        self, method: str, url: str, body: Any = None, **_kwargs: Any
    ) -> urllib3.HTTPResponse:
        """Answer one SDK request as LINE would (the urllib3 pool interface)."""
        path = url.removeprefix(SIMULATOR_HOST)
        payload = (
            json.loads(body)
            if isinstance(body, str | bytes) and path.endswith(("/reply", "/push"))
            else {}
        )
        status, data, content_type = 200, b"{}", "application/json"
        with self.lock:
            if path == "/v2/bot/message/reply":
                user_id = self.reply_tokens.pop(payload.get("replyToken", ""), "")
                if user_id:
                    data = self._deliver(user_id, payload["messages"])
                else:
                    status, data = 400, b'{"message": "Invalid reply token"}'
            elif path == "/v2/bot/message/push":
                data = self._deliver(payload["to"], payload["messages"])
            elif path.startswith("/v2/bot/message/") and path.endswith("/content"):
                content = self.contents.get(path.split("/")[4])
                if content is None:
                    status, data = 404, b'{"message": "Not found"}'
                else:
                    data, content_type = content, "image/jpeg"
            elif path == "/v2/bot/chat/loading/start":
                status = 202
        return urllib3.HTTPResponse(
            body=data, status=status, headers={"Content-Type": content_type}, preload_content=True
        )


def line_api(account: str = OWN) -> LineApi | None:
    """The client of ``account`` as seen from the current body; None when it has no account.

    Clients are kept per access token for the app's life: each keeps its connections to LINE.
    """
    settings = account_settings(account)
    if settings is None:
        return None
    clients: dict[str, LineApi] = current_app.extensions.setdefault("line_apis", {})
    if settings.access_token not in clients:
        inbox = simulator_inbox() if settings.simulator else None
        clients[settings.access_token] = LineApi(settings, inbox)
    return clients[settings.access_token]


def simulator_inbox() -> SimulatorInbox:
    """The app's simulator inbox (simulator mode only)."""
    inbox: SimulatorInbox = current_app.extensions.setdefault(
        "line_simulator_inbox", SimulatorInbox()
    )
    return inbox
