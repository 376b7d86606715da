"""A local fake of LINE's Messaging API: a real HTTP server on 127.0.0.1 for the real SDK.

Point the SDK at ``FakeLineApi.base_url`` (both the API host and the blob "api-data" host: the
fake serves both sets of paths). It answers the endpoints the bot and the notification worker
call, records every request, and behaves like LINE where behaviour matters to our code:

- ``POST /v2/bot/message/reply``: a reply token works once (a second use answers 400
  "Invalid reply token", as LINE does for used or expired tokens; ``expire_reply_token`` makes a
  token invalid up front).
- ``POST /v2/bot/message/push``: a repeated ``X-Line-Retry-Key`` answers 409 with the
  ``x-line-accepted-request-id`` header, and the message is not delivered twice.
- ``GET /v2/bot/message/{id}/content``: the bytes registered with ``add_content`` (404 otherwise).
- ``POST /v2/bot/chat/loading/start``: 202.
- Rich menu: ``POST /v2/bot/richmenu`` (create), ``POST /v2/bot/richmenu/{id}/content`` (image),
  ``POST /v2/bot/user/all/richmenu/{id}`` (set default).

Every request needs ``Authorization: Bearer ...`` (401 otherwise) and message requests are
checked against LINE's limits (1-5 messages, text up to 5,000 characters, up to 13 quick reply
items), so a bot that would be refused by LINE is refused here too.

``fail_next(status, times)`` makes the next requests answer an error; ``delay_next(seconds)``
makes the next request slow (for timeouts); ``FakeLineApi(latency=0.2)`` makes every request
take that long, as LINE on a busy day (benchmarks). Use it through the ``line_api`` pytest fixture.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_REPLY_ITEMS = 13


@dataclass
class RecordedRequest:
    """One request the fake received, and the status it answered."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int = 0
    # When the fake received the request and when it had answered (``time.time()``).
    received_at: float = 0.0
    answered_at: float = 0.0

    @property
    def json(self) -> Any:
        """The JSON body, or None when the body is not JSON (e.g. an image upload)."""
        if not self.body or not self.headers.get("content-type", "").startswith("application/json"):
            return None
        return json.loads(self.body)

    @property
    def texts(self) -> list[str]:
        """The text of each text message in a reply or push body."""
        body = self.json or {}
        return [m.get("text", "") for m in body.get("messages", []) if m.get("type") == "text"]


@dataclass
class _Content:
    data: bytes
    content_type: str


@dataclass
class _State:
    requests: list[RecordedRequest] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    delays: list[float] = field(default_factory=list)
    latency: float = 0.0
    contents: dict[str, _Content] = field(default_factory=dict)
    used_reply_tokens: set[str] = field(default_factory=set)
    retry_keys: dict[str, str] = field(default_factory=dict)
    rich_menus: dict[str, dict[str, Any]] = field(default_factory=dict)
    default_rich_menu: str | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


class FakeLineApi:
    """The fake server; start it with ``start()`` or as a context manager."""

    def __init__(self, latency: float = 0.0) -> None:
        self._state = _State(latency=latency)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self._state))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        host, port = self._server.server_address[:2]
        self.base_url = f"http://{host!s}:{port}"

    def start(self) -> FakeLineApi:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and free the port."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeLineApi:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in order (a copy)."""
        with self._state.lock:
            return list(self._state.requests)

    def requests_to(self, path: str, status: int | None = None) -> list[RecordedRequest]:
        """The requests to ``path`` (optionally only those answered with ``status``)."""
        return [
            r for r in self.requests if r.path == path and (status is None or r.status == status)
        ]

    def delivered_texts(self) -> list[str]:
        """The texts of every reply and push LINE accepted, in order: what the resident saw."""
        texts: list[str] = []
        for request in self.requests:
            if request.path in ("/v2/bot/message/reply", "/v2/bot/message/push") and (
                request.status == 200
            ):
                texts.extend(request.texts)
        return texts

    def fail_next(self, status: int = 500, times: int = 1) -> None:
        """Answer the next ``times`` requests (any endpoint) with ``status``."""
        with self._state.lock:
            self._state.failures.extend([status] * times)

    def delay_next(self, seconds: float, times: int = 1) -> None:
        """Wait ``seconds`` before answering each of the next ``times`` requests."""
        with self._state.lock:
            self._state.delays.extend([seconds] * times)

    def add_content(self, message_id: str, data: bytes, content_type: str = "image/jpeg") -> None:
        """Serve ``data`` as the content of the resident's message ``message_id``."""
        with self._state.lock:
            self._state.contents[str(message_id)] = _Content(data, content_type)

    def expire_reply_token(self, reply_token: str) -> None:
        """Make ``reply_token`` invalid, as if the resident's event were too old to reply to."""
        with self._state.lock:
            self._state.used_reply_tokens.add(reply_token)

    @property
    def default_rich_menu(self) -> dict[str, Any] | None:
        """The rich menu set as default (its create request body plus ``image``), if any."""
        with self._state.lock:
            menu_id = self._state.default_rich_menu
            return self._state.rich_menus.get(menu_id) if menu_id else None


_MESSAGE_CONTENT = re.compile(r"^/v2/bot/message/([^/]+)/content$")
_RICH_MENU_IMAGE = re.compile(r"^/v2/bot/richmenu/([^/]+)/content$")
_DEFAULT_RICH_MENU = re.compile(r"^/v2/bot/user/all/richmenu/([^/]+)$")

Answer = tuple[int, dict[str, str], bytes]


def _json_answer(status: int, payload: Any, headers: dict[str, str] | None = None) -> Answer:
    return (
        status,
        {"Content-Type": "application/json", **(headers or {})},
        json.dumps(payload).encode(),
    )


def _error(status: int, message: str) -> Answer:
    return _json_answer(status, {"message": message})


def _message_problem(body: Any) -> str | None:
    """Why LINE would refuse this reply/push body, or None."""
    messages = body.get("messages") if isinstance(body, dict) else None
    if not isinstance(messages, list) or not 1 <= len(messages) <= MAX_MESSAGES:
        return "messages must be 1 to 5 items"
    for message in messages:
        if message.get("type") == "text" and not 0 < len(message.get("text", "")) <= MAX_TEXT:
            return "text must be 1 to 5000 characters"
        items = (message.get("quickReply") or {}).get("items", [])
        if len(items) > MAX_QUICK_REPLY_ITEMS:
            return "quick reply must have at most 13 items"
    return None


def _sent(body: dict[str, Any]) -> Answer:
    sent = [{"id": str(uuid.uuid4().int)[:18]} for _ in body["messages"]]
    return _json_answer(200, {"sentMessages": sent})


class _Routes:
    """What LINE answers to each request (the state is shared with the test)."""

    def __init__(self, state: _State) -> None:
        self.state = state

    def answer(self, request: RecordedRequest) -> Answer:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or not token.strip():
            return _error(401, "Authentication failed. Confirm that the access token is valid.")
        if request.method == "GET":
            return self._get(request)
        if request.method == "POST":
            return self._post(request)
        return _error(404, "Not found")

    def _get(self, request: RecordedRequest) -> Answer:
        match = _MESSAGE_CONTENT.match(request.path)
        content = self.state.contents.get(match.group(1)) if match else None
        if content is None:
            return _error(404, "Not found")
        return 200, {"Content-Type": content.content_type}, content.data

    def _post(self, request: RecordedRequest) -> Answer:
        path = request.path
        if path == "/v2/bot/message/reply":
            return self._reply(request.json)
        if path == "/v2/bot/message/push":
            return self._push(request)
        if path == "/v2/bot/chat/loading/start":
            return _json_answer(202, {})
        if path == "/v2/bot/richmenu":
            menu_id = f"richmenu-{uuid.uuid4().hex}"
            self.state.rich_menus[menu_id] = dict(request.json or {})
            return _json_answer(200, {"richMenuId": menu_id})
        if match := _RICH_MENU_IMAGE.match(path):
            return self._rich_menu_image(match.group(1), request)
        if match := _DEFAULT_RICH_MENU.match(path):
            if match.group(1) not in self.state.rich_menus:
                return _error(404, "Not found")
            self.state.default_rich_menu = match.group(1)
            return _json_answer(200, {})
        return _error(404, "Not found")

    def _reply(self, body: Any) -> Answer:
        problem = _message_problem(body)
        if problem:
            return _error(400, f"The request body has 1 error(s): {problem}")
        token = body.get("replyToken", "")
        if not token or token in self.state.used_reply_tokens:
            return _error(400, "Invalid reply token")
        self.state.used_reply_tokens.add(token)
        return _sent(body)

    def _push(self, request: RecordedRequest) -> Answer:
        body = request.json
        problem = _message_problem(body)
        if problem:
            return _error(400, f"The request body has 1 error(s): {problem}")
        retry_key = request.headers.get("x-line-retry-key")
        if retry_key:
            if retry_key in self.state.retry_keys:
                return _json_answer(
                    409,
                    {"message": "The retry key is already accepted"},
                    {"x-line-accepted-request-id": self.state.retry_keys[retry_key]},
                )
            self.state.retry_keys[retry_key] = str(uuid.uuid4())
        return _sent(body)

    def _rich_menu_image(self, menu_id: str, request: RecordedRequest) -> Answer:
        menu = self.state.rich_menus.get(menu_id)
        if menu is None:
            return _error(404, "Not found")
        if request.headers.get("content-type") not in ("image/png", "image/jpeg"):
            return _error(415, "Unsupported Media Type")
        menu["image"] = request.body
        return _json_answer(200, {})


def _handler_for(state: _State) -> type[BaseHTTPRequestHandler]:
    routes = _Routes(state)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle on, the body waits ~40 ms for the
        # client's delayed ACK, which would make every request look slow (TCP_NODELAY).
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = RecordedRequest(
                method=self.command,
                path=self.path.split("?", 1)[0],
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
                received_at=time.time(),
            )
            with state.lock:
                state.requests.append(request)
                delay = state.delays.pop(0) if state.delays else state.latency
                failure = state.failures.pop(0) if state.failures else None
            if delay:
                time.sleep(delay)
            if failure is not None:
                status, headers, payload = _error(failure, "Internal server error")
            else:
                with state.lock:
                    status, headers, payload = routes.answer(request)
            request.status = status
            request.answered_at = time.time()
            try:
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(payload))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout test): nothing to answer to

        do_GET = do_POST = do_DELETE = do_PUT = _handle  # noqa: N815

    return Handler
