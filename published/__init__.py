"""The public pages of published cases: a list, a case page and a map, per body.

Built only from ``cases.publication`` (what an officer approved and worded for the public), the
case's category, status and dates, and its public replies: never the resident's own words,
original photos or contact details. The integrity track is not reachable from here.
"""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Plug the public list, case page, map and public photos in."""
    from published.public_pages import bp

    app.register_blueprint(bp)
