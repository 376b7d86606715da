"""Delivery throughput of one notification worker against the local fake LINE API.

Queues resident replies (LINE pushes, rendered with the status link) for a few hundred cases in a
fresh database, then times one worker draining them: claim, render, push over HTTP with the real
SDK, record. Prints messages per second.

    .venv/bin/python bench/notifications.py [--messages 2000] [--database-url URL]

The default database is a temporary SQLite file; pass a PostgreSQL URL of an empty database to
measure there.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import migrate
from app.config import Config
from app.database import unit_of_work
from app.extensions import db
from cases.messages import notify_resident
from cases.models import Case
from cases.seed import seed_reference_data
from notifications.worker import worker_for
from rongrian import create_app
from tests.factories import make_case
from tests.fakes.line_api import FakeLineApi

CASES = 200


def main() -> None:
    """Queue the messages, drain them with one worker, print the rate."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="rongrian-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    migrate.upgrade(url)
    with FakeLineApi() as line_api:
        config = Config(
            SECRET_KEY="bench",
            DATABASE_URL=url,
            UPLOAD_DIR=str(workdir / "uploads"),
            LINE_CHANNEL_ACCESS_TOKEN="bench-token",
            LINE_API_BASE_URL=line_api.base_url,
        )
        app = create_app(config)
        with app.app_context():
            with unit_of_work(db.session):
                seed_reference_data(db.session)
            worker = worker_for(app.config, db.new_session)
            cases = [make_case(line_user_id=f"U{n:032x}")[0] for n in range(CASES)]
            db.session.commit()  # end the read transaction: on SQLite it holds the write lock
            worker.drain()  # the receipts queued by the intake: not part of the measurement
            queue_replies(cases, args.messages)
            pushes_before = len(line_api.delivered_texts())
            started = time.perf_counter()
            report = worker.drain()
            elapsed = time.perf_counter() - started
            worker.close()
        delivered = len(line_api.delivered_texts()) - pushes_before
    backend = url.split(":", 1)[0]
    print(f"one worker, {backend}, fake LINE API on 127.0.0.1, batch {worker.batch_size}")
    print(f"delivered {delivered} of {args.messages} LINE pushes (sent {report.sent}) ")
    print(f"in {elapsed:.2f} s: {report.sent / elapsed:.0f} messages per second")


def queue_replies(cases: list[Case], total: int) -> None:
    """``total`` reply notifications spread over the LINE residents' ``cases``."""
    for n in range(total):
        case = cases[n % len(cases)]
        notify_resident(db.session, case, "case_reply", body=f"คำตอบที่ {n}: ซ่อมแซมเรียบร้อยแล้ว")
    db.session.commit()


if __name__ == "__main__":
    main()
