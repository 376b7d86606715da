"""The kernel's commands, all registered here: ``flask db``, ``flask users``, ``flask orgs``.

Each capability registers its own command group in its ``register(app)``; the composition root
(``rongrian.py``) lists the capabilities, so every command of a deployment is plugged in there.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app import migrate

db_cli = AppGroup("db", help="Database migrations.")


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


def init_app(app: Flask) -> None:
    """Register the kernel's command groups: migrations, staff accounts, organizations."""
    from app.auth.cli import users_cli
    from app.organizations.cli import orgs_cli

    app.cli.add_command(db_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(orgs_cli)
