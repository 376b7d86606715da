"""Absolute links shown or sent to residents and staff: always on ``PUBLIC_BASE_URL``.

Never built from the request: its ``Host`` header is whatever the client sent, so a link made
from it (``url_for(..., _external=True)``, ``request.host_url``) could point a resident at
someone else's site. The LINE bot and the notification worker also build links after the
response or from the CLI, where there is no request at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from werkzeug.routing import BuildError

from app.organizations.services import organization_base_url


def public_url(endpoint: str, **values: Any) -> str:
    """The public address of ``endpoint`` (e.g. a status link): ``PUBLIC_BASE_URL`` + its path."""
    adapter = current_app.url_map.bind("localhost", url_scheme="https")
    path = adapter.build(endpoint, values, force_external=False)
    return organization_base_url() + path


def staff_url(endpoint: str, **values: Any) -> str:
    """An absolute link to a staff page (the staff home if that page is not part of this app)."""
    try:
        return public_url(endpoint, **values)
    except BuildError:
        return organization_base_url() + "/staff/"


@dataclass(frozen=True)
class MapLinks:
    """Two ways to open a position on a phone: the web map (every phone; Google Maps opens its
    app) and ``geo:`` (Android's choice of map app)."""

    web: str
    geo: str


def map_links(latitude: float | None, longitude: float | None) -> MapLinks | None:
    """Links that open the point in the phone's map app; ``None`` when there is no point."""
    if latitude is None or longitude is None:
        return None
    point = f"{latitude:.6f},{longitude:.6f}"
    return MapLinks(
        web=f"https://www.google.com/maps/search/?api=1&query={point}",
        geo=f"geo:{point}?q={point}",
    )
