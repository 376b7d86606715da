"""Links the bot sends: absolute URLs on ``PUBLIC_BASE_URL``, built without a request.

The bot also runs after the webhook's response and from the CLI, where ``url_for`` has no
request to take a host from, so URLs are built from the app's URL map and the public address.
"""

from __future__ import annotations

from typing import Any

from flask import current_app


def public_url(endpoint: str, **values: Any) -> str:
    """The public address of ``endpoint`` (e.g. a status link), for messages sent by LINE."""
    adapter = current_app.url_map.bind("localhost", url_scheme="https")
    path = adapter.build(endpoint, values, force_external=False)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def integrity_channel_url() -> str:
    """The web page of the separate corruption channel (the bot never takes such reports)."""
    return public_url("integrity.index")
