"""Webhook response time over 1,000 signed LINE events (LINE gives up after 2 seconds).

Serves the app on 127.0.0.1 (threaded, like a production worker), points its SDK at the local
fake of LINE's API, and posts 1,000 signed events: 100 residents each going through a whole
conversation (follow, file a case, confirm) so every kind of processing is included. Prints the
median and 99th percentile of the time until LINE would get its 200, and how long until the
bot had answered every event (the processing that runs after the response).

    .venv/bin/python bench/line_webhook.py            # temporary SQLite database
    DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/line_webhook.py
"""

from __future__ import annotations

import logging
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import urllib3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from werkzeug.serving import make_server  # noqa: E402

from app import create_app, migrate  # noqa: E402
from app.config import Config  # noqa: E402
from app.extensions import db  # noqa: E402
from cases.models import Case  # noqa: E402
from cases.seed import seed_reference_data  # noqa: E402
from line_bot.models import EventStatus, LineWebhookEvent  # noqa: E402
from tests.fakes.line_api import FakeLineApi  # noqa: E402
from tests.fakes.line_webhook import line_event, sign, webhook_body  # noqa: E402

EVENTS = 1000
SECRET = "bench-channel-secret"
DETAILS = "ถนนหน้าบ้านเลขที่ 12 หมู่ 3 เป็นหลุมลึก รถจักรยานยนต์ล้มบ่อยตอนกลางคืน"
# One resident's whole conversation: ten events, the last one files a case.
CONVERSATION = [
    ("follow", {}),
    ("postback", {"postback_data": "action=file"}),
    ("postback", {"postback_data": "action=privacy_ok"}),
    ("postback", {"postback_data": "action=kind&value=complaint"}),
    ("text", {"text": "ถนน สะพาน ทางเท้า"}),
    ("text", {"text": DETAILS}),
    ("postback", {"postback_data": "action=next"}),
    ("location", {}),
    ("sticker", {}),
    ("postback", {"postback_data": "action=confirm"}),
]


def _bodies() -> list[bytes]:
    residents = EVENTS // len(CONVERSATION)
    return [
        webhook_body(line_event(name, user_id=f"U{n:032x}", **fields))
        for n in range(residents)
        for name, fields in CONVERSATION
    ]


def _app(database_url: str, fake: FakeLineApi, upload_dir: str):  # type: ignore[no-untyped-def]
    config = Config(
        SECRET_KEY="bench-secret-key",
        DATABASE_URL=database_url,
        UPLOAD_DIR=upload_dir,
        LINE_CHANNEL_SECRET=SECRET,
        LINE_CHANNEL_ACCESS_TOKEN="bench-token",
        LINE_API_BASE_URL=fake.base_url,
        LINE_DATA_API_BASE_URL=fake.base_url,
    )
    app = create_app(config)
    with app.app_context():
        seed_reference_data(db.session)
        db.session.remove()
    return app


def main() -> None:
    """Run the benchmark and print the figures."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp, FakeLineApi() as fake:
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        migrate.upgrade(database_url)
        app = _app(database_url, fake, f"{tmp}/uploads")
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_port}/line/webhook"
        http = urllib3.PoolManager()
        timings = []
        started = time.perf_counter()
        for body in _bodies():
            headers = {"Content-Type": "application/json", "x-line-signature": sign(body, SECRET)}
            before = time.perf_counter()
            response = http.request("POST", url, body=body, headers=headers)
            timings.append(time.perf_counter() - before)
            assert response.status == 200, response.data
        while len(fake.requests_to("/v2/bot/message/reply")) < len(timings):
            time.sleep(0.01)
        answered = time.perf_counter() - started
        server.shutdown()
        with app.app_context():
            cases = db.session.query(Case).count()
            done = db.session.query(LineWebhookEvent).filter_by(status=EventStatus.DONE).count()
    p99 = statistics.quantiles(timings, n=100)[98]
    backend = database_url.split(":")[0]
    print(f"events: {len(timings)} signed webhook requests, one event each ({backend})")
    print(f"response median: {statistics.median(timings) * 1000:.1f} ms")
    print(f"response p99:    {p99 * 1000:.1f} ms   (LINE's limit: 2000 ms)")
    print(f"all {len(timings)} answered by the bot after {answered:.1f} s")
    print(f"events processed: {done}; cases filed: {cases}")


if __name__ == "__main__":
    main()
