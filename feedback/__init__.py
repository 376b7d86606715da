"""Suggestions, opinions and questions (ข้อเสนอแนะ/ความคิดเห็น/สอบถาม) over the intake service."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the feedback forms in."""
    from feedback.public_pages import bp

    app.register_blueprint(bp)
