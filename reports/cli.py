"""``flask reports ...``: upkeep of what the reports compute from."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from reports.workdays import refresh_working_days

reports_cli = AppGroup("reports", help="The six-monthly summary and statistics.")


@reports_cli.command("refresh-calendar")
def refresh_calendar() -> None:
    """Rebuild the working-day calendar after the holiday data changed (a special holiday)."""
    refresh_working_days(db.session)
    click.echo("working-day calendar cleared: the next report refills it from current holidays")
