"""Outbox of messages to residents and officers, written in the same transaction as the change."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the outbox's admin page and the worker's commands in."""
    from notifications.cli import notifications_cli
    from notifications.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(notifications_cli)
