"""``flask users ...``: create the first accounts, grant and take away the integrity role."""

from __future__ import annotations

import getpass

import click
from flask.cli import AppGroup

from app.auth.errors import AccountError
from app.auth.models import Role
from app.organizations.cli import (
    organization_id_of,
    organization_option,
    required_organization_id,
    required_organization_option,
)
from app.organizations.scope import organization_scope

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
@organization_option
@click.password_option(help="Asked for when not given (8–64 characters).")
def create(
    email: str,
    display_name: str,
    roles: tuple[str, ...],
    departments: tuple[str, ...],
    org_slug: str | None,
    password: str,
) -> None:
    """Create a staff account, e.g. ``flask users create --email a@b.th --role admin --org x``."""
    from app.auth.services import create_user

    organization_id = organization_id_of(org_slug)
    try:
        if organization_id is None:
            user = create_user(email, display_name, password, roles, departments)
        else:
            with organization_scope(organization_id):
                user = create_user(email, display_name, password, roles, departments)
    except AccountError as error:
        raise click.ClickException(str(error.message)) from error
    click.echo(f"created {user.email} with roles {', '.join(sorted(user.roles))}")


def _operator() -> str:
    """How the command was run, for the audit entry: the server account that ran it."""
    try:
        return f"command line ({getpass.getuser()})"
    except (KeyError, OSError):  # no login name in some containers
        return "command line"


def _set_integrity(email: str, held: bool, org_slug: str | None) -> None:
    from app.auth.services import set_integrity_role

    try:
        with organization_scope(required_organization_id(org_slug)):
            changed = set_integrity_role(email, held, via=_operator())
    except AccountError as error:
        raise click.ClickException(str(error.message)) from error
    state = "now holds" if held else "no longer holds"
    click.echo(f"{email} {state} the integrity role" if changed else "nothing to change")


@users_cli.command("grant-integrity")
@click.argument("email")
@required_organization_option
def grant_integrity(email: str, org_slug: str | None) -> None:
    """Give EMAIL's account the integrity role (the corruption track); audited.

    The web admin pages cannot grant this role. The account sets up its authenticator app at
    its next request. With several organizations, ``--org SLUG`` names the account's body.
    """
    _set_integrity(email, True, org_slug)


@users_cli.command("revoke-integrity")
@click.argument("email")
@required_organization_option
def revoke_integrity(email: str, org_slug: str | None) -> None:
    """Take the integrity role away from EMAIL's account (of ``--org SLUG``); audited."""
    _set_integrity(email, False, org_slug)
