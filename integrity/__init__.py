"""The corruption and misconduct track: a separate, protected channel (its own tables and pages).

Nothing general imports this package; only ``reports`` may, and only ``integrity.services``'s
counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the corruption track in: its pages, staff screens, commands, outbox and staging."""
    from integrity import services
    from integrity.cli import integrity_cli
    from integrity.routes import bp
    from integrity.staff import bp as staff_bp

    app.register_blueprint(bp)
    app.register_blueprint(staff_bp)
    app.cli.add_command(integrity_cli)
    services.init_app(app)
