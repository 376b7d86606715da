"""The development simulator's page (``/line/simulator``): a chat that talks to the real webhook.

Only served when the simulator is enabled (development): it signs whatever it is given.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import Blueprint, abort, jsonify, render_template, request, session
from werkzeug.wrappers import Response

from app.organizations.line_accounts import OWN
from line_bot.channel import ChannelSettings, account_settings, simulator_inbox
from line_bot.simulator import build_event, new_user_id, webhook_body

bp = Blueprint("line_simulator", __name__, url_prefix="/line")
SIMULATOR_EVENT_KINDS = ("text", "postback", "location", "image", "sticker", "follow")


def _simulator_settings() -> ChannelSettings:
    settings = account_settings(OWN)
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
