"""The LINE event processor: a process that answers stored webhook events (``flask line run``).

The webhook only stores events (``line_bot.services.store_events``). A processor answers them on
a pool of threads, because answering is mostly waiting: for LINE's reply API, for a photo from
LINE's blob API, for the database. How the work is shared:

- **Waking.** On PostgreSQL a listener thread waits on ``LISTEN line_events`` (the webhook's
  ``NOTIFY`` arrives when its transaction commits); on SQLite, and as a safety net on
  PostgreSQL, the dispatcher also looks every ``poll_seconds``. Wake-ups that come within
  ``GATHER_SECONDS`` of each other make one look.
- **Dispatching.** The dispatcher asks for the events that may be processed now (each resident's
  oldest unfinished one, ``ready_events``) and hands each to a thread, one resident at a time per
  process. The thread goes on with the resident's later events (``process_event``).
- **Several processes.** Any number of processors may run (``gunicorn.conf.py`` starts
  ``LINE_PROCESSES`` of them beside the web workers). A claim is a conditional UPDATE, so two
  processors never answer the same event; the loser's thread simply finds nothing to do.
- **Dying.** An event is committed before LINE gets its 200 and stays ``received`` until a
  processor commits its answer: the claim, the conversation's step and the event's end are one
  transaction, committed before the answer is sent. A processor killed before that commit loses
  nothing (PostgreSQL rolls the claim back and another processor answers the event); one killed
  after it has answered at most once. A step that commits on its own (a new case, with its
  receipt queued in the outbox) leaves its event ``processing`` if the processor dies then;
  after ``ABANDONED_AFTER`` it is marked failed (at most once beats twice: LINE's reply API has
  no retry key; the outbox still sends the receipt) and the resident's next events go on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import psycopg
from flask import Flask
from sqlalchemy.engine import make_url

from app.extensions import db
from app.models import utcnow
from app.organizations.line_accounts import (
    any_own_line_account,
    installation_credentials,
    platform_credentials,
)
from app.organizations.scope import platform_scope
from line_bot.services import (
    WAKE_CHANNEL,
    fail_abandoned,
    process_in_its_organization,
    ready_events,
)

log = logging.getLogger(__name__)

# How often abandoned events are looked for (cheap: one indexed UPDATE).
ABANDONED_CHECK_EVERY = timedelta(seconds=30)
# A listener that lost its connection tries again after this long.
RECONNECT_SECONDS = 2.0
# After a wake-up the dispatcher waits this long before looking, so that a burst of webhooks
# (one NOTIFY each) costs one look for events instead of one per webhook.
GATHER_SECONDS = 0.005


class Listener:
    """Waits on PostgreSQL ``LISTEN`` and calls ``wake`` for every notification."""

    def __init__(self, database_url: str, wake: Callable[[], None]) -> None:
        url = make_url(database_url).set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        self._wake = wake

    def run(self, stop: threading.Event) -> None:
        """Listen until ``stop`` is set; reconnect after a lost connection."""
        while not stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True) as connection:
                    connection.execute(f"LISTEN {WAKE_CHANNEL}")
                    self._wake()  # events may have come while we were not listening
                    while not stop.is_set():
                        for _notification in connection.notifies(timeout=1.0, stop_after=1):
                            self._wake()
            except psycopg.Error:
                log.warning("LINE processor: lost the LISTEN connection; reconnecting")
                stop.wait(RECONNECT_SECONDS)


class EventProcessor:
    """Answers stored LINE events on ``threads`` threads until stopped."""

    def __init__(self, app: Flask, threads: int, poll_seconds: float) -> None:
        self.app = app
        self.threads = threads
        self.poll_seconds = poll_seconds
        self._pool = ThreadPoolExecutor(threads, thread_name_prefix="line-event")
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._busy: set[str] = set()  # residents (or user-less events) a thread is on
        self._next_abandoned_check = utcnow()

    def wake(self) -> None:
        """Make the dispatcher look for events now."""
        self._wake.set()

    def run(self, stop: threading.Event) -> None:
        """Dispatch until ``stop`` is set, then let the threads finish what they hold."""
        listener = self._start_listener(stop)
        try:
            while not stop.is_set():
                try:
                    self.dispatch()
                except Exception:
                    # A database restart must not end the processor: log, wait, try again.
                    log.exception("LINE processor: dispatch failed")
                if self._wake.wait(self.poll_seconds):
                    stop.wait(GATHER_SECONDS)
                self._wake.clear()
        finally:
            self._pool.shutdown(wait=True)
            if listener is not None:
                listener.join(timeout=5)

    def _start_listener(self, stop: threading.Event) -> threading.Thread | None:
        url = self.app.config["DATABASE_URL"]
        if not url.startswith("postgresql"):
            return None
        listener = Listener(url, self.wake)
        thread = threading.Thread(target=listener.run, args=(stop,), daemon=True, name="listen")
        thread.start()
        return thread

    def dispatch(self) -> int:
        """Hand every event that may be processed now to a free thread; return how many."""
        with self.app.app_context(), platform_scope():  # events of every organization
            self._fail_abandoned_now_and_then()
            ready = ready_events(limit=self.threads * 4)
        handed = 0
        for event_row_id, user_id in ready:
            lane = user_id or f"event:{event_row_id}"
            with self._lock:
                if lane in self._busy:
                    continue  # the thread on this resident goes on with this event
                self._busy.add(lane)
            self._pool.submit(self._answer, event_row_id, lane)
            handed += 1
        return handed

    def _fail_abandoned_now_and_then(self) -> None:
        now = utcnow()
        if now >= self._next_abandoned_check:
            fail_abandoned(now)
            self._next_abandoned_check = now + ABANDONED_CHECK_EVERY

    def _answer(self, event_row_id: int, lane: str) -> None:
        try:
            with self.app.app_context():
                process_in_its_organization(event_row_id)
        except Exception:  # the database went away: the row stays "received" for later
            log.exception("LINE processor: event row %s failed", event_row_id)
        finally:
            with self._lock:
                self._busy.discard(lane)
            self.wake()  # this resident may have sent more while we were busy


def processor_for(app: Flask) -> EventProcessor | None:
    """A processor with the app's settings, or None when there is nothing for it to do.

    Nothing to do: no account at all (the installation's, the platform's, a body's own), or the
    simulator without any (its "LINE" lives in the web process's memory, so the web process
    answers simulated events itself).
    """
    with app.app_context():
        configured = (
            installation_credentials(app.config) is not None
            or platform_credentials(app.config) is not None
            or any_own_line_account(db.session)
        )
    if not configured:
        return None
    poll = app.config["LINE_POLL_MS"] / 1000
    return EventProcessor(app, threads=app.config["LINE_PROCESSOR_THREADS"], poll_seconds=poll)
