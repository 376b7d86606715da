"""Outbox of messages to residents and officers, written in the same transaction as the change."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the outbox's admin page, each staff member's settings and the worker's commands in."""
    from app.admin import register_admin_screens
    from notifications import admin, staff_pages
    from notifications.cli import notifications_cli

    register_admin_screens(app, admin.bp, admin.LINKS)
    app.register_blueprint(staff_pages.bp)
    app.cli.add_command(notifications_cli)
