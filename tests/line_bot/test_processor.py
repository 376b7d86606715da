"""The event processor (``flask line run``): dispatching to threads, waking on NOTIFY."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.pool import QueuePool

from app import create_app
from app.extensions import db
from line_bot.models import LineWebhookEvent
from line_bot.processor import EventProcessor, Listener, processor_for
from line_bot.services import WAKE_CHANNEL, ready_events
from tests.conftest import make_config
from tests.fakes.line_webhook import line_event, signed_post, webhook_body
from tests.line_bot.conftest import SECRET

OTHER_USER = "U0000000000000000000000000000beef"


def _post(resident, *events) -> None:
    assert signed_post(resident.client, webhook_body(*events), SECRET).status_code == 200


def _run_once(processor: EventProcessor) -> int:
    """One dispatch, then wait until its threads are done (the test's thread only waits)."""
    handed = processor.dispatch()
    processor._pool.shutdown(wait=True)
    return handed


def test_only_each_residents_oldest_event_is_ready(resident):
    _post(resident, line_event("follow"), line_event("postback", postback_data="action=help"))
    _post(resident, line_event("follow", user_id=OTHER_USER))
    ready = ready_events(limit=10)
    assert [user for _id, user in ready] == [resident.user_id, OTHER_USER]


def test_the_processor_answers_every_resident_in_order(line_app, resident, line_api):
    _post(resident, line_event("follow"), line_event("postback", postback_data="action=file"))
    _post(resident, line_event("follow", user_id=OTHER_USER))
    processor = EventProcessor(line_app, threads=1, poll_seconds=0.05)

    assert _run_once(processor) == 2  # one thread per resident; it goes on with the tap
    texts = line_api.delivered_texts()
    assert len(texts) == 3
    mine = [r.texts[0] for r in line_api.requests if r.json and r.json.get("replyToken")]
    assert "ยินดีต้อนรับ" in mine[0] and "PDPA" in mine[1]
    assert set(db.session.scalars(select(LineWebhookEvent.status))) == {"done"}


def test_a_processor_is_only_made_when_line_is_really_configured(line_app):
    assert processor_for(line_app) is not None
    line_app.config.update(LINE_CHANNEL_ACCESS_TOKEN="", LINE_SIMULATOR_ENABLED=True)
    assert processor_for(line_app) is None  # the web process answers simulated events
    line_app.config["LINE_SIMULATOR_ENABLED"] = False
    assert processor_for(line_app) is None  # LINE not configured


@pytest.mark.postgres_only
def test_the_listener_wakes_on_a_committed_notify():
    url = os.environ["TEST_DATABASE_URL"]
    woken = threading.Event()
    stop = threading.Event()
    calls: list[int] = []

    def wake() -> None:
        calls.append(1)
        if len(calls) > 1:  # the first call is the catch-up after connecting
            woken.set()

    thread = threading.Thread(target=Listener(url, wake).run, args=(stop,), daemon=True)
    thread.start()
    engine = create_engine(url)
    try:
        for _ in range(50):  # until the listener is connected and listening
            with engine.begin() as connection:
                connection.execute(text("SELECT pg_notify(:c, '')"), {"c": WAKE_CHANNEL})
            if woken.wait(0.1):
                break
        assert woken.is_set()
    finally:
        stop.set()
        thread.join(timeout=30)
        engine.dispose()
    assert not thread.is_alive()  # its connection is closed


@pytest.mark.postgres_only
def test_a_processor_keeps_a_connection_for_each_of_its_threads(database_url, tmp_path):
    # ``flask line run`` sizes the pool to its threads: with 20 threads and a pool of 10, a
    # burst closed and reopened connections (a new PostgreSQL backend each) all the time.
    create_app(make_config(database_url, tmp_path / "uploads"))
    try:
        db.keep_connections_for(21)
        engine = db.engine
        assert isinstance(engine.pool, QueuePool) and engine.pool.size() == 21
        held = [engine.connect() for _ in range(21)]
        for connection in held:
            connection.close()
        assert engine.pool.checkedin() == 21  # all kept for the next event, none closed
        assert db.session.scalar(text("SELECT 1")) == 1  # the sessions use the new engine
    finally:
        db.session.remove()
        if db.engine is not None:
            db.engine.dispose()
