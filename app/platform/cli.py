"""``flask users create-platform-admin`` and ``flask users create-oversight``.

Platform accounts are made on the server only: no web page makes one, so no platform account
can make another (or itself a stronger one) from a browser.
"""

from __future__ import annotations

import click

from app.auth import two_factor
from app.auth.errors import AccountError
from app.platform.models import AccountKind, PlatformAccount
from app.platform.services import create_platform_account, reset_two_factor

ISSUER = "Rongrian platform"


def _show_authenticator(account: PlatformAccount) -> None:
    """The secret for the administrator's authenticator app: shown once, here, to the operator."""
    secret = account.totp_secret or ""
    click.echo(f"authenticator secret: {secret}")
    click.echo(f"or scan: {two_factor.provisioning_uri(account, secret, ISSUER)}")  # type: ignore[arg-type]


def _create(kind: AccountKind, email: str, name: str, password: str, **area: str | None) -> None:
    try:
        account = create_platform_account(email, name, password, kind, **area)
    except AccountError as error:
        raise click.ClickException(str(error.message)) from error
    where = account.district_code or account.province_code
    click.echo(f"created {account.email} ({kind.value}{f', area {where}' if where else ''})")
    if account.needs_two_factor:
        _show_authenticator(account)


@click.command("create-platform-admin")
@click.option("--email", required=True, help="Sign-in e-mail.")
@click.option("--name", "display_name", default="", help="Name shown on the platform's pages.")
@click.password_option(help="Asked for when not given (8–64 characters).")
def create_platform_admin(email: str, display_name: str, password: str) -> None:
    """Create a platform administrator: makes, changes and suspends organizations and invites
    each body's first admin; reads no body's cases or reports. Signs in at /platform/login with
    a code from the authenticator app whose secret this prints."""
    _create(AccountKind.ADMINISTRATOR, email, display_name, password)


@click.command("reset-platform-two-factor")
@click.argument("email")
def reset_platform_two_factor(email: str) -> None:
    """Give platform administrator EMAIL a new authenticator secret (a lost phone); audited."""
    try:
        account = reset_two_factor(email)
    except AccountError as error:
        raise click.ClickException(str(error.message)) from error
    _show_authenticator(account)


@click.command("create-oversight")
@click.option("--email", required=True, help="Sign-in e-mail.")
@click.option("--name", "display_name", default="", help="The office, e.g. สถ.จ.นครราชสีมา.")
@click.option("--province", help="Province code (2 digits), e.g. 30.")
@click.option("--district", help="District code (4 digits) for an อำเภอ office, e.g. 3001.")
@click.password_option(help="Asked for when not given (8–64 characters).")
def create_oversight(
    email: str, display_name: str, province: str | None, district: str | None, password: str
) -> None:
    """Create an oversight account of a province (or district) office: the figures of the
    bodies in its area and their six-monthly roll-up, never a case."""
    _create(
        AccountKind.OVERSIGHT, email, display_name, password, province=province, district=district
    )
