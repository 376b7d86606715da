"""Organizations: the local bodies an installation serves, and the scope of every query.

``models`` (the organization and the ``OrganizationOwned`` mixin), ``scope`` (the one mechanism
that stamps and filters by organization), ``services`` (create, change, find, the current one's
settings), ``routing`` (which organization a request is for), ``cli`` (``flask orgs``).
"""

from __future__ import annotations

from flask import Flask

from app.organizations import scope as scope  # registers the session events


def init_app(app: Flask) -> None:
    """Resolve each request's organization and offer it to templates."""
    from app.organizations import platform_pages, routing

    routing.init_app(app)
    platform_pages.init_app(app)
