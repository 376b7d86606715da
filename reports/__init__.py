"""Six-monthly executive summaries, public statistics and service standards."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the reports, the public statistics and their commands in."""
    from reports.cli import reports_cli
    from reports.public_routes import bp as statistics_bp
    from reports.routes import bp

    app.register_blueprint(bp)
    app.register_blueprint(statistics_bp)
    app.cli.add_command(reports_cli)
