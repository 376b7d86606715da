"""Command-line tools: ``flask db upgrade``, ``flask seed``, ``flask cases ...`` maintenance."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app import migrate
from app.extensions import db
from line_bot.cli import line_cli
from notifications.cli import notifications_cli
from reports.cli import reports_cli

db_cli = AppGroup("db", help="Database migrations.")
cases_cli = AppGroup("cases", help="General-track maintenance.")


def _migration_url() -> str:
    """The tables' owner runs migrations (MIGRATION_DATABASE_URL), else DATABASE_URL."""
    config = current_app.config
    return str(config["MIGRATION_DATABASE_URL"] or config["DATABASE_URL"])


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    migrate.upgrade(_migration_url(), revision)
    click.echo(f"database at {revision}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION."""
    migrate.downgrade(_migration_url(), revision)
    click.echo(f"database at {revision}")


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also add demo cases (and demo accounts when present).")
def seed(demo: bool) -> None:
    """Insert reference data (departments, categories); with --demo, demo data. Idempotent."""
    from cases.demo import seed_demo_cases
    from cases.seed import seed_reference_data

    seed_reference_data(db.session)
    click.echo("reference data ready")
    if demo:
        from app.auth.demo import seed_demo_users

        created = seed_demo_cases()
        click.echo(f"demo cases: {created} created")
        click.echo(f"demo accounts: {seed_demo_users()} created (see README)")


@cases_cli.command("purge-staged")
def purge_staged() -> None:
    """Delete attachments of forms that were never sent (older than a day). Cron-friendly."""
    from cases.services import purge_stale_staged_files

    click.echo(f"purged {purge_stale_staged_files()} staged files")


@cases_cli.command("anonymise")
def anonymise() -> None:
    """Remove personal data of cases closed longer than RETENTION_DAYS ago. Cron-friendly."""
    from app.organizations.services import each_organization
    from cases.services import anonymise_expired_cases

    # Each body has its own retention period.
    count = sum(anonymise_expired_cases() for _organization in each_organization(db.session))
    click.echo(f"anonymised {count} cases")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    app.cli.add_command(db_cli)
    app.cli.add_command(cases_cli)
    app.cli.add_command(seed)
    app.cli.add_command(notifications_cli)
    app.cli.add_command(line_cli)
    app.cli.add_command(reports_cli)
