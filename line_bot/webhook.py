"""The LINE webhook (``POST /line/webhook``): verify, store, acknowledge (and its fast path)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    request,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from linebot.v3.webhook import SignatureValidator

from app.extensions import csrf
from app.organizations.routing import organization_for_host
from app.organizations.scope import organization_scope
from line_bot.channel import ChannelSettings, channel_settings
from line_bot.messages import NOT_CONFIGURED
from line_bot.services import process_event, store_events

bp = Blueprint("line", __name__, url_prefix="/line")
log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# LINE's bodies are a few kilobytes; anything much larger is not from LINE.
MAX_WEBHOOK_BYTES = 256 * 1024
WEBHOOK_PATH = "/line/webhook"


def verified_body(settings: ChannelSettings, raw: bytes, signature: str) -> dict[str, Any] | None:
    """The JSON body if LINE's signature matches and it is shaped as LINE sends; else None."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not signature or not SignatureValidator(settings.secret).validate(text, signature):
        return None
    try:
        body = json.loads(text)
    except ValueError:
        return None
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        return None
    return body


@bp.post("/webhook")
@csrf.exempt
def webhook() -> ResponseReturnValue:
    """Verify, store, answer 200: the event processors answer the events, not this request.

    In production LINE's calls are answered by ``WebhookFastPath`` before they reach Flask;
    this view answers the rest the same way (the simulator, an unconfigured channel, a body
    without a length).
    """
    settings = channel_settings(current_app.config)
    if settings is None:
        return jsonify(message=str(NOT_CONFIGURED)), 503
    request.max_content_length = MAX_WEBHOOK_BYTES
    raw = request.get_data(cache=False)
    body = verified_body(settings, raw, request.headers.get("x-line-signature", ""))
    if body is None:
        abort(400)  # nothing is stored
    stored = store_events(body)
    response = jsonify({})
    if stored and settings.simulator:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        response.call_on_close(lambda: _process_after_response(app, stored))
    return response


class WebhookFastPath:
    """WSGI middleware that answers LINE's webhook calls before Flask's request machinery.

    A webhook call needs none of what Flask runs for a page (a session cookie, CSRF, rate
    limits, the language, a browser's security headers) and on a burst those took half of each
    acknowledgement's CPU (``bench/README.md``). So a signed ``POST /line/webhook`` with a
    length is verified and stored here, in an application context (the database session),
    exactly as the view above does. Everything else, and the simulator and an unconfigured
    channel, goes on to Flask unchanged.
    """

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer a webhook call, or hand the request on."""
        if environ.get("PATH_INFO") != WEBHOOK_PATH or environ.get("REQUEST_METHOD") != "POST":
            return self.wsgi_app(environ, start_response)
        settings = channel_settings(self.app.config)
        length = _content_length(environ)
        if settings is None or settings.simulator or length is None:
            return self.wsgi_app(environ, start_response)
        organization_id = self._organization_id(environ)
        if organization_id is None:  # no such body, or suspended: Flask answers as for a page
            return self.wsgi_app(environ, start_response)
        if length > MAX_WEBHOOK_BYTES:
            return _answer(start_response, "413 Request Entity Too Large")
        raw = environ["wsgi.input"].read(length)
        body = verified_body(settings, raw, environ.get("HTTP_X_LINE_SIGNATURE", ""))
        if body is None:
            return _answer(start_response, "400 Bad Request")  # nothing is stored
        try:
            with self.app.app_context(), organization_scope(organization_id):
                store_events(body)
        except Exception:  # the database is down: LINE will deliver the event again
            log.exception("LINE webhook: storing the events failed")
            return _answer(start_response, "500 Internal Server Error")
        return _answer(start_response, "200 OK")

    def _organization_id(self, environ: WSGIEnvironment) -> int | None:
        """The body whose host the call came to (the only one of a single-body install)."""
        with self.app.app_context():
            organization = organization_for_host(environ.get("HTTP_HOST"))
            return organization.id if organization is not None and organization.active else None


def _content_length(environ: WSGIEnvironment) -> int | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def _answer(start_response: StartResponse, status: str) -> list[bytes]:
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", "2")])
    return [b"{}"]


@bp.record_once
def _install_fast_path(state: BlueprintSetupState) -> None:
    app = state.app
    assert isinstance(app, Flask)
    # Flask's documented way to add WSGI middleware; mypy sees ``wsgi_app`` as a method.
    app.wsgi_app = WebhookFastPath(app, app.wsgi_app)  # type: ignore[method-assign]


def _process_after_response(app: Flask, stored: Sequence[int]) -> None:
    """The simulator's events, answered by this process once the page has its 200.

    The simulator's "LINE" is this process's memory (``SimulatorInbox``), which a processor in
    another process could not reach. Development only.
    """
    with app.app_context():
        for event_row_id in stored:
            try:
                process_event(event_row_id)
            except Exception:  # the database went away: the row stays "received" for later
                log.exception("processing LINE event row %s failed", event_row_id)
