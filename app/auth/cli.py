"""``flask users ...``: create the first accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.auth.errors import AccountError
from app.auth.models import Role

users_cli = AppGroup("users", help="Staff accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="Sign-in e-mail.")
@click.option("--name", "display_name", default="", help="Name shown to colleagues.")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="Repeat for several roles.",
)
@click.option("--department", "departments", multiple=True, help="Department code; repeatable.")
@click.password_option(help="Asked for when not given (8–64 characters).")
def create(
    email: str,
    display_name: str,
    roles: tuple[str, ...],
    departments: tuple[str, ...],
    password: str,
) -> None:
    """Create a staff account, e.g. ``flask users create --email a@b.th --role admin``."""
    from app.auth.services import create_user

    try:
        user = create_user(email, display_name, password, roles, departments)
    except AccountError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"created {user.email} with roles {', '.join(sorted(user.roles))}")
