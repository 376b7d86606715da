"""Six-monthly executive summaries, public statistics and service standards."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def register(app: Flask) -> None:
    """Plug the reports, the public statistics and their commands in."""
    from app.demo import register_demo
    from app.organizations.routing import serve_on_platform
    from reports.cli import reports_cli
    from reports.demo import seed_demo_measures
    from reports.oversight_pages import bp as oversight_bp
    from reports.public_pages import bp as statistics_bp
    from reports.staff_pages import bp

    app.register_blueprint(bp)
    app.register_blueprint(statistics_bp)
    app.register_blueprint(oversight_bp)
    serve_on_platform(app, oversight_bp.name)
    app.cli.add_command(reports_cli)
    register_demo("demo measures (rows filled)", seed_demo_measures)
