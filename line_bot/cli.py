"""``flask line ...``: the event processor, rich menu set-up and events left behind."""

from __future__ import annotations

import signal
import threading
from contextlib import nullcontext
from pathlib import Path
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.organizations.cli import organization_id_of, organization_option
from app.organizations.line_accounts import OWN, PLATFORM, set_line_credentials
from app.organizations.scope import organization_scope
from app.organizations.services import OrganizationError, find_by_slug
from line_bot.channel import line_api
from line_bot.links import webhook_url
from line_bot.processor import processor_for
from line_bot.richmenu import menu_image, menu_request
from line_bot.services import process_pending

line_cli = AppGroup("line", help="The LINE channel.")


@line_cli.command("setup-richmenu")
@click.option("--image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--generate", is_flag=True, help="Draw the image now instead of the shipped one.")
@organization_option
@click.option("--platform", is_flag=True, help="The platform-wide account's menu instead.")
def setup_richmenu(
    image: Path | None, generate: bool, org_slug: str | None, platform: bool
) -> None:
    """Create the rich menu on a body's LINE account (or the platform's), upload its image and
    make it the default for every user of that account."""
    organization_id = organization_id_of(org_slug)
    with organization_scope(organization_id) if organization_id else nullcontext():
        api = line_api(PLATFORM if platform else OWN)
        if api is None:
            raise click.ClickException(
                "LINE is not configured for this account: flask line set-account, or set "
                "LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN"
            )
        menu_id = api.create_default_rich_menu(menu_request(), menu_image(image, generate))
    click.echo(f"rich menu {menu_id} is now the default")


@line_cli.command("set-account")
@click.option("--org", "org_slug", required=True, help="The body's slug.")
@click.option("--clear", is_flag=True, help="Forget the body's own account (use the default).")
def set_account(org_slug: str, clear: bool) -> None:
    """Store a body's own LINE Official Account (channel secret and access token, sealed).

    Both are asked for without echo (or read from standard input, one per line), never taken
    as arguments: arguments stay in the shell's history and the process list.
    """
    organization = find_by_slug(db.session, org_slug)
    if organization is None:
        raise click.ClickException(f"no organization {org_slug}")
    secret = "" if clear else click.prompt("Channel secret", hide_input=True)
    token = "" if clear else click.prompt("Channel access token", hide_input=True)
    try:
        set_line_credentials(db.session, organization, secret, token)
    except OrganizationError as error:
        raise click.ClickException(str(error)) from error
    state = "the installation's default account" if clear else "its own account"
    click.echo(f"{organization.slug} now answers on LINE with {state}")
    click.echo(f"webhook URL: {webhook_url(organization.slug)}")


@line_cli.command("process-pending")
def process_pending_command() -> None:
    """Answer events stored but never processed (the app stopped). Cron-friendly."""
    click.echo(f"processed {process_pending()} pending LINE events")


@line_cli.command("run")
def run() -> None:
    """Answer the residents' LINE events as they arrive; loops until Ctrl-C or SIGTERM."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    processor = processor_for(app)
    if processor is None:
        click.echo("LINE processor: nothing to do (LINE not configured, or the simulator)")
        return
    db.keep_connections_for(processor.threads + 1)  # and one for the dispatcher
    stop = threading.Event()

    def _stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()  # finish the events in hand, then exit

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    click.echo(f"LINE processor running ({processor.threads} threads); Ctrl-C stops it")
    processor.run(stop)
