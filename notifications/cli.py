"""``flask notifications run`` (the delivery worker) and ``flask notifications digest``."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from notifications.worker import worker_for

notifications_cli = AppGroup("notifications", help="The outbox: deliver LINE pushes and email.")


@notifications_cli.command("run")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit (cron, tests).")
@click.option("--poll", default=5.0, show_default=True, help="Seconds between looks at the outbox.")
def run(once: bool, poll: float) -> None:
    """Deliver pending notifications; loops until stopped (Ctrl-C or SIGTERM) unless --once."""
    worker = worker_for(current_app.config, db.new_session)
    for channel, reason in worker.unavailable.items():
        click.echo(f"{channel}: {reason}", err=True)
    try:
        if once:
            report = worker.drain()
            click.echo(f"sent {report.sent}, retrying {report.retrying}, dead {report.dead}")
            return
        stop = threading.Event()

        def _stop(_signum: int, _frame: FrameType | None) -> None:
            stop.set()  # finish the current batch, then exit

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        click.echo(f"notification worker running (every {poll:g} s); Ctrl-C stops it")
        worker.run_forever(stop, poll)
    finally:
        worker.close()


@notifications_cli.command("digest")
def digest() -> None:
    """Queue each officer's digest of overdue cases and cases due by the next working day.

    Cron-friendly (e.g. 07:00 daily): a second run on the same day queues nothing new.
    """
    from app.calendar import today_in_thailand
    from app.organizations.services import each_organization
    from app.outbox import queue_digests

    today = today_in_thailand()
    messages = officers = 0
    for _organization in each_organization(db.session):
        result = queue_digests(db.session, today)
        messages, officers = messages + result.messages, officers + result.officers
    click.echo(f"digests queued: {messages} messages for {officers} officers")
