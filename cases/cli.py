"""``flask seed`` and ``flask cases ...``: reference data and general-track maintenance."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.database import unit_of_work
from app.extensions import db

cases_cli = AppGroup("cases", help="General-track maintenance.")


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also add demo cases (and demo accounts when present).")
def seed(demo: bool) -> None:
    """Insert reference data (departments, categories); with --demo, demo data. Idempotent."""
    from cases.seed import seed_reference_data

    with unit_of_work(db.session):
        seed_reference_data(db.session)
    click.echo("reference data ready")
    if demo:
        from app.auth.demo import seed_demo_users
        from app.demo import registered_demos

        click.echo(f"demo accounts: {seed_demo_users()} created (see README)")
        for label, seed_demo in registered_demos():  # each capability's, in plug-in order
            click.echo(f"{label}: {seed_demo()}")


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
    """Register the commands."""
    app.cli.add_command(cases_cli)
    app.cli.add_command(seed)
