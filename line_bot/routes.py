"""The LINE webhook (``POST /line/webhook``) and the development simulator page."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Sequence

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    session,
)
from flask.typing import ResponseReturnValue
from linebot.v3.webhook import SignatureValidator
from werkzeug.wrappers import Response

from app.extensions import csrf
from line_bot.channel import ChannelSettings, channel_settings, simulator_inbox
from line_bot.messages import NOT_CONFIGURED
from line_bot.services import process_event, store_events
from line_bot.simulator import build_event, new_user_id, webhook_body

bp = Blueprint("line", __name__, url_prefix="/line")
log = logging.getLogger(__name__)

# LINE's bodies are a few kilobytes; anything much larger is not from LINE.
MAX_WEBHOOK_BYTES = 256 * 1024
SIMULATOR_EVENT_KINDS = ("text", "postback", "location", "image", "sticker", "follow")


def _verified_body(settings: ChannelSettings) -> dict[str, object]:
    """The JSON body if LINE's signature matches; 400 otherwise (nothing is stored)."""
    request.max_content_length = MAX_WEBHOOK_BYTES
    raw = request.get_data(cache=False)
    signature = request.headers.get("x-line-signature", "")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        abort(400)
    if not signature or not SignatureValidator(settings.secret).validate(text, signature):
        abort(400)
    try:
        body = json.loads(text)
    except ValueError:
        abort(400)
    if not isinstance(body, dict) or not isinstance(body.get("events"), list):
        abort(400)
    return body


@bp.post("/webhook")
@csrf.exempt
def webhook() -> ResponseReturnValue:
    """Verify, store, answer 200: the event processors answer the events, not this request."""
    settings = channel_settings(current_app.config)
    if settings is None:
        return jsonify(message=str(NOT_CONFIGURED)), 503
    stored = store_events(_verified_body(settings))
    response = jsonify({})
    if stored and settings.simulator:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        response.call_on_close(lambda: _process_after_response(app, stored))
    return response


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


# ----- development simulator ---------------------------------------------------------------
def _simulator_settings() -> ChannelSettings:
    settings = channel_settings(current_app.config)
    if settings is None or not settings.simulator:
        abort(404)
    return settings


def _simulated_user() -> str:
    if "line_sim_user" not in session:
        session["line_sim_user"] = new_user_id()
    return str(session["line_sim_user"])


@bp.get("/simulator")
def simulator() -> str:
    """A chat page that talks to the real webhook as LINE would (development only)."""
    _simulator_settings()
    return render_template("line_bot/simulator.html", user_id=_simulated_user())


@bp.post("/simulator/events")
def simulator_event() -> Response:
    """Build and sign one event for the page, which then posts it to the webhook."""
    settings = _simulator_settings()
    kind = request.form.get("kind", "text")
    if kind not in SIMULATOR_EVENT_KINDS:
        abort(400)
    inbox = simulator_inbox()
    fields: dict[str, object] = dict(request.form.items())
    if kind == "image":
        upload = request.files.get("photo")
        if upload is None:
            abort(400)
        fields["message_id"] = inbox.add_content(upload.read())
    body = webhook_body(build_event(inbox, _simulated_user(), kind, fields))
    signature = base64.b64encode(
        hmac.new(settings.secret.encode(), body, hashlib.sha256).digest()
    ).decode()
    return jsonify(body=body.decode(), signature=signature)


@bp.get("/simulator/messages")
def simulator_messages() -> Response:
    """The bot's messages to this page's simulated user after sequence number ``after``."""
    _simulator_settings()
    after = request.args.get("after", 0, type=int)
    found = simulator_inbox().since(_simulated_user(), after)
    return jsonify(messages=[{"seq": item.seq, "message": item.message} for item in found])
