"""The kernel's commands: ``flask db upgrade`` / ``downgrade``.

Each capability registers its own command group in its ``register(app)``; the composition root
(``rongrian.py``) lists the capabilities, so every command of a deployment is plugged in there.
"""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from app import migrate

db_cli = AppGroup("db", help="Database migrations.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    migrate.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION."""
    migrate.downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"database at {revision}")


def init_app(app: Flask) -> None:
    """Register the command group."""
    app.cli.add_command(db_cli)
