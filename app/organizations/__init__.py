"""Organizations: the local bodies an installation serves, and the scope of every query.

``models`` (the organization and the ``OrganizationOwned`` mixin), ``scope`` (the one mechanism
that stamps and filters by organization), ``services`` (create, change, find, the current one's
settings), ``routing`` (which organization a request is for), ``cli`` (``flask orgs``).
"""

from __future__ import annotations

from flask import Flask

from app.organizations import scope as scope  # registers the session events


def init_app(app: Flask) -> None:
    """Resolve each request's organization, offer it to templates, add the platform's pages and
    the demo province."""
    from app.demo import register_demo
    from app.organizations import platform_pages, routing
    from app.organizations.demo import seed_demo_province

    routing.init_app(app)
    platform_pages.init_app(app)
    register_demo("demo province: other bodies", seed_demo_province)
