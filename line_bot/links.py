"""Links the bot sends: absolute URLs on ``PUBLIC_BASE_URL`` (``app.links``), never a request's."""

from __future__ import annotations

from app.links import public_url


def integrity_channel_url() -> str:
    """The web page of the separate corruption channel (the bot never takes such reports)."""
    return public_url("integrity.index")
