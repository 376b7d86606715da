"""Links the bot sends: absolute URLs on ``PUBLIC_BASE_URL`` (``app.links``), never a request's."""

from __future__ import annotations

from flask import current_app

from app.links import public_url


def integrity_channel_url() -> str:
    """The web page of the separate corruption channel (the bot never takes such reports)."""
    return public_url("integrity.index")


def webhook_url(slug: str) -> str:
    """The webhook URL to give LINE for body ``slug``'s own account (or ``platform``'s).

    On ``PUBLIC_BASE_URL``, whatever host names the body: ``WebhookFastPath`` serves it.
    """
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}/line/{slug}/webhook"
