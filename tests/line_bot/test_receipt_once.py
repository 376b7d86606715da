"""The receipt of a case filed on LINE reaches the resident once, whoever sends it.

The bot answers with the receipt (reply API) while the same receipt waits in the outbox for a
notification worker to push. These tests run a real worker at each point another process could
look at the outbox: right after each of the bot's commits while it files the case and answers.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.outbox import Notification, NotificationStatus
from cases.models import Case
from notifications.worker import Worker, worker_for
from tests.fakes.line_api import FakeLineApi
from tests.fakes.line_webhook import line_event, webhook_body
from tests.line_bot.conftest import Resident
from tests.line_bot.test_conversation import _file_until_photos

REPLY, PUSH = "/v2/bot/message/reply", "/v2/bot/message/push"


def _ready_to_confirm(resident: Resident) -> str:
    """Chat up to the summary; return the data of the ยืนยันส่ง button."""
    _file_until_photos(resident)
    resident.tap("ถัดไป")
    resident.tap("ข้าม")
    resident.tap("ไม่เผยแพร่")
    return {a["label"]: a["data"] for a in resident.quick_replies()}["ยืนยันส่ง"]


@contextmanager
def worker_after_commits(app: Flask, start: int) -> Iterator[Worker]:
    """A worker that drains the outbox after every commit from the ``start``-th one on.

    Deterministic interleaving: the worker's claim runs exactly between two of the bot's
    transactions, as a worker polling in another process could.
    """
    worker = worker_for(app.config, db.new_session)
    commits = 0
    draining = False

    def after_commit(_session: Session) -> None:
        nonlocal commits, draining
        if draining:
            return  # the worker's own commits
        commits += 1
        if commits >= start:
            draining = True
            try:
                worker.drain()
            finally:
                draining = False

    event.listen(Session, "after_commit", after_commit)
    try:
        yield worker
    finally:
        event.remove(Session, "after_commit", after_commit)
        worker.close()


def _receipt_row() -> Notification:
    db.session.expire_all()
    case = db.session.scalars(select(Case)).one()
    return db.session.scalars(
        select(Notification).where(Notification.case_id == case.id, Notification.channel == "line")
    ).one()


def _receipts_seen(line_api: FakeLineApi) -> list[str]:
    code = db.session.scalars(select(Case.code)).one()
    return [text for text in line_api.delivered_texts() if code in text]


@pytest.mark.parametrize("start", range(1, 10))
def test_resident_gets_the_receipt_once_whenever_a_worker_runs(resident, line_app, line_api, start):
    confirm = _ready_to_confirm(resident)

    with worker_after_commits(line_app, start) as worker:
        resident.send("postback", postback_data=confirm)
    worker.drain()  # and once more after the bot is done

    assert len(_receipts_seen(line_api)) == 1
    assert _receipt_row().status == NotificationStatus.SENT


def test_a_worker_that_takes_the_receipt_first_pushes_it_and_the_bot_stays_silent(
    resident, line_app, line_api
):
    confirm = _ready_to_confirm(resident)
    replies_before = len(line_api.requests_to(REPLY))

    # From the first commit on: the worker sees the receipt as soon as the case is stored.
    with worker_after_commits(line_app, 1):
        resident.send("postback", postback_data=confirm)

    [push] = line_api.requests_to(PUSH)
    row = _receipt_row()
    assert push.headers["x-line-retry-key"] == row.retry_key
    assert len(line_api.requests_to(REPLY)) == replies_before  # no second copy by reply
    assert len(_receipts_seen(line_api)) == 1
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 1)


def test_fallback_push_lost_to_a_timeout_and_retried_by_the_worker_shows_once(
    resident, line_app, line_api
):
    confirm = line_event(
        "postback", user_id=resident.user_id, postback_data=_ready_to_confirm(resident)
    )
    line_api.expire_reply_token(confirm["replyToken"])
    seen = len(line_api.requests)
    # Loading animation and reply answer at once (the reply token is refused); the push is
    # slower than LINE_API_TIMEOUT_MS, and LINE takes it after the bot gave up.
    line_api.delay_next(0.0, times=2)
    line_api.delay_next(1.0)

    resident.deliver(webhook_body(confirm))
    deadline = time.monotonic() + 5
    while any(r.status == 0 for r in line_api.requests):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert [r.path for r in line_api.requests[seen:]][1:] == [REPLY, PUSH]
    row = _receipt_row()
    assert row.status == NotificationStatus.PENDING  # given back to the outbox, due now
    assert "LINE API" in row.last_error
    worker = worker_for(line_app.config, db.new_session)
    try:
        assert worker.drain().sent == 1
    finally:
        worker.close()

    # The bot pushed with the outbox's retry key: LINE refuses the worker's copy with 409.
    assert [p.status for p in line_api.requests_to(PUSH)] == [200, 409]
    assert len(_receipts_seen(line_api)) == 1
    assert _receipt_row().status == NotificationStatus.SENT
