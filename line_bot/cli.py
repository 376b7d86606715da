"""``flask line ...``: the event processor, rich menu set-up and events left behind."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from line_bot.channel import line_api
from line_bot.processor import processor_for
from line_bot.richmenu import menu_image, menu_request
from line_bot.services import process_pending

line_cli = AppGroup("line", help="The LINE channel.")


@line_cli.command("setup-richmenu")
@click.option("--image", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--generate", is_flag=True, help="Draw the image now instead of the shipped one.")
def setup_richmenu(image: Path | None, generate: bool) -> None:
    """Create the rich menu, upload its image and make it the default for every user."""
    api = line_api()
    if api is None:
        raise click.ClickException(
            "LINE is not configured: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN"
        )
    menu_id = api.create_default_rich_menu(menu_request(), menu_image(image, generate))
    click.echo(f"rich menu {menu_id} is now the default")


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
