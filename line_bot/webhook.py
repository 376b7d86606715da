"""The LINE webhooks: verify, store, acknowledge (and their fast path).

A body's own account calls ``/line/webhook`` on its host or ``/line/<slug>/webhook``; the
platform-wide account calls ``/line/platform/webhook``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
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

from app.extensions import csrf, db
from app.organizations.line_accounts import OWN, PLATFORM
from app.organizations.models import Organization
from app.organizations.routing import organization_for_host
from app.organizations.scope import default_organization_id, organization_scope
from app.organizations.services import find_by_slug
from line_bot.channel import ChannelSettings, account_settings, body_settings
from line_bot.messages import NOT_CONFIGURED
from line_bot.services import process_in_its_organization, store_events

bp = Blueprint("line", __name__, url_prefix="/line")
log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

# LINE's bodies are a few kilobytes; anything much larger is not from LINE.
MAX_WEBHOOK_BYTES = 256 * 1024
WEBHOOK_PATH = "/line/webhook"
# A body's own webhook whatever the host (``/line/<slug>/webhook``); ``platform`` is the
# platform-wide account's.
BODY_WEBHOOK_PATH = re.compile(r"^/line/([a-z0-9][a-z0-9-]{1,38}[a-z0-9])/webhook$")


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
    settings = account_settings(OWN)
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


@dataclass(frozen=True)
class WebhookTarget:
    """Whose webhook a call reached: the body its events are stored in, and the account."""

    organization_id: int
    account: str
    settings: ChannelSettings | None


class WebhookFastPath:
    """WSGI middleware that answers LINE's webhook calls before Flask's request machinery.

    A webhook call needs none of what Flask runs for a page (a session cookie, CSRF, rate
    limits, the language, a browser's security headers) and on a burst those took half of each
    acknowledgement's CPU (``bench/README.md``). So a signed ``POST`` with a length is verified
    with the account's secret and stored here, in an application context (the database session),
    exactly as the view above does:

    - ``/line/webhook``: the account of the body the host names (a single-body install's only
      one); the simulator, an unconfigured channel or a body without a length go on to Flask;
    - ``/line/<slug>/webhook``: body ``slug``'s account, whatever the host (a platform serving
      bodies without host names); ``/line/platform/webhook``: the platform-wide account, whose
      events wait in the first organization until the resident names their ตำบล.

    Everything else goes on to Flask unchanged.
    """

    def __init__(self, app: Flask, wsgi_app: WSGIApplication) -> None:
        self.app = app
        self.wsgi_app = wsgi_app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """Answer a webhook call, or hand the request on."""
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") != "POST":
            return self.wsgi_app(environ, start_response)
        length = _content_length(environ)
        if path == WEBHOOK_PATH:
            target = self._target(lambda: organization_for_host(environ.get("HTTP_HOST")))
            if target is None or target.settings is None or target.settings.simulator:
                return self.wsgi_app(environ, start_response)  # Flask answers as for a page
            if length is None:
                return self.wsgi_app(environ, start_response)
        elif found := BODY_WEBHOOK_PATH.match(path):
            target = self._named_target(found.group(1))
            if target is None:
                return _answer(start_response, "404 Not Found")
            if target.settings is None or target.settings.simulator:
                return _answer(start_response, "503 Service Unavailable")
            if length is None:
                return _answer(start_response, "411 Length Required")
        else:
            return self.wsgi_app(environ, start_response)
        return self._store(environ, start_response, target, target.settings, length)

    def _store(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        target: WebhookTarget,
        settings: ChannelSettings,
        length: int,
    ) -> list[bytes]:
        if length > MAX_WEBHOOK_BYTES:
            return _answer(start_response, "413 Request Entity Too Large")
        raw = environ["wsgi.input"].read(length)
        body = verified_body(settings, raw, environ.get("HTTP_X_LINE_SIGNATURE", ""))
        if body is None:
            return _answer(start_response, "400 Bad Request")  # nothing is stored
        try:
            with self.app.app_context(), organization_scope(target.organization_id):
                store_events(body, target.account)
        except Exception:  # the database is down: LINE will deliver the event again
            log.exception("LINE webhook: storing the events failed")
            return _answer(start_response, "500 Internal Server Error")
        return _answer(start_response, "200 OK")

    def _named_target(self, slug: str) -> WebhookTarget | None:
        """The target ``/line/<slug>/webhook`` names; None for no such (active) body."""
        if slug != PLATFORM:
            return self._target(lambda: find_by_slug(db.session, slug))
        with self.app.app_context():
            home = default_organization_id(db.session)
            with organization_scope(home):
                return WebhookTarget(home, PLATFORM, account_settings(PLATFORM))

    def _target(self, find: Callable[[], Organization | None]) -> WebhookTarget | None:
        """The active body ``find`` returns, with its own account's settings; else None."""
        with self.app.app_context():
            organization = find()
            if organization is None or not organization.active:
                return None
            settings = body_settings(self.app.config, organization)
            return WebhookTarget(organization.id, OWN, settings)


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
                process_in_its_organization(event_row_id)  # the request's scope has ended
            except Exception:  # the database went away: the row stays "received" for later
                log.exception("processing LINE event row %s failed", event_row_id)
