"""Complaints and grievances (ร้องเรียน/ร้องทุกข์): the web form over the shared intake service."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the complaint forms in."""
    from complaints.public_pages import bp

    app.register_blueprint(bp)
