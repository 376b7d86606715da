"""LINE pushes through the real SDK against the local fake of LINE's API (with email beside)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from app.config import ConfigError
from app.extensions import db
from app.outbox import LEASE, Notification, NotificationStatus
from notifications.worker import check_lease_covers_a_send
from review.services import change_status, reply
from tests.factories import make_case, make_user

PUSH = "/v2/bot/message/push"
LINE_USER = "U" + "0123456789abcdef" * 2
EMAIL = "somchai@example.com"


def rows(template: str) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.template == template).order_by(Notification.id)
        )
    )


def test_reply_and_status_change_each_produce_one_email_and_one_push(
    notify_app, smtp_server, line_api, worker_factory
):
    case, submitted = make_case(contact_email=EMAIL, line_user_id=LINE_USER)
    officer = make_user(roles=("officer",), departments=(case.department.code,))
    worker = worker_factory(notify_app)
    worker.drain()  # the receipts
    reply(officer, case, "เจ้าหน้าที่ออกสำรวจแล้ว", expected_version=case.version)
    change_status(officer, case, "start", expected_version=case.version)

    worker.drain()
    worker.drain()

    pushes = line_api.requests_to(PUSH, status=200)
    assert [p.json["to"] for p in pushes] == [LINE_USER] * 3
    texts = line_api.delivered_texts()
    assert len(texts) == 3
    assert "ได้รับเรื่องของท่านแล้ว" in texts[0]
    assert f"https://rongrian.example/track/{submitted.code}/{submitted.token}" in texts[0]
    assert len([t for t in texts if "เจ้าหน้าที่ออกสำรวจแล้ว" in t]) == 1
    assert len([t for t in texts if "อยู่ระหว่างดำเนินการ" in t]) == 1
    subjects = [m["Subject"] for m in smtp_server.to(EMAIL)]
    assert len(subjects) == 3
    assert len([s for s in subjects if "มีคำตอบจากเจ้าหน้าที่" in s]) == 1
    assert len([s for s in subjects if "อยู่ระหว่างดำเนินการ" in s]) == 1


def test_every_push_carries_the_rows_retry_key_and_the_access_token(
    notify_app, line_api, worker_factory
):
    make_case(line_user_id=LINE_USER)

    worker_factory(notify_app).drain()

    [row] = rows("case_received")
    [push] = line_api.requests_to(PUSH)
    assert push.headers["x-line-retry-key"] == row.retry_key
    assert push.headers["authorization"] == "Bearer test-channel-token"


def test_line_answering_500_three_times_then_200_delivers_exactly_once(
    notify_app, line_api, worker_factory, clock
):
    make_case(line_user_id=LINE_USER)
    line_api.fail_next(500, times=3)
    worker = worker_factory(notify_app)

    outcomes = []
    for _ in range(5):
        outcomes.append(worker.drain())
        clock.advance(hours=7)  # past any backoff

    assert [(o.sent, o.retrying) for o in outcomes] == [(0, 1), (0, 1), (0, 1), (1, 0), (0, 0)]
    assert [p.status for p in line_api.requests_to(PUSH)] == [500, 500, 500, 200]
    assert len(line_api.delivered_texts()) == 1
    [row] = rows("case_received")
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 4, "")


def test_worker_killed_between_sending_and_marking_done_does_not_push_twice(
    notify_app, line_api, worker_factory, clock
):
    make_case(line_user_id=LINE_USER)
    crashed = worker_factory(notify_app)
    # The first worker claims and sends, then dies before recording the outcome.
    [item] = crashed.claim()
    assert item.message is not None
    assert crashed.send(item.message) is None
    [row] = rows("case_received")
    assert row.status == NotificationStatus.PENDING

    survivor = worker_factory(notify_app)
    assert survivor.drain().handled == 0  # still leased to the dead worker
    clock.advance(seconds=LEASE.total_seconds() + 1)
    report = survivor.drain()

    assert report.sent == 1
    assert [p.status for p in line_api.requests_to(PUSH)] == [200, 409]
    assert len(line_api.delivered_texts()) == 1
    [row] = rows("case_received")
    assert (row.status, row.attempts) == (NotificationStatus.SENT, 2)


def test_line_rejecting_the_user_id_is_a_dead_letter_at_once(notify_app, line_api, worker_factory):
    make_case(line_user_id=LINE_USER)
    line_api.fail_next(400)

    report = worker_factory(notify_app).drain()

    [row] = rows("case_received")
    assert (report.dead, row.status) == (1, NotificationStatus.DEAD)
    assert "400" in row.last_error


def test_line_rate_limit_is_retried_not_dead(notify_app, line_api, worker_factory):
    make_case(line_user_id=LINE_USER)
    line_api.fail_next(429)

    report = worker_factory(notify_app).drain()

    [row] = rows("case_received")
    assert (report.retrying, row.status) == (1, NotificationStatus.PENDING)
    assert "429" in row.last_error


def test_messages_waiting_for_an_unconfigured_line_go_out_once_it_is_configured(
    app_factory, line_api, worker_factory
):
    from tests.notifications.conftest import line_settings

    application = app_factory()
    with application.app_context():
        make_case(line_user_id=LINE_USER)
        assert worker_factory(application).drain().handled == 0
        [row] = rows("case_received")
        assert (row.status, row.attempts) == (NotificationStatus.PENDING, 0)
        assert "LINE_CHANNEL_ACCESS_TOKEN" in row.last_error

        application.config.update(line_settings(line_api.base_url))
        report = worker_factory(application).drain()

        assert report.sent == 1
        assert len(line_api.delivered_texts()) == 1


def _wait_until_answered(line_api, timeout: float = 5.0) -> None:
    """Wait until the fake has answered every request (a slow one finishes after we gave up)."""
    deadline = time.monotonic() + timeout
    while any(r.status == 0 for r in line_api.requests):
        assert time.monotonic() < deadline, "the fake LINE API never answered"
        time.sleep(0.02)


def test_push_slower_than_line_api_timeout_is_retried_not_lost_nor_marked_sent(
    app_factory, line_api, worker_factory, clock
):
    from tests.notifications.conftest import line_settings

    application = app_factory(LINE_API_TIMEOUT_MS=200, **line_settings(line_api.base_url))
    with application.app_context():
        make_case(line_user_id=LINE_USER)
        line_api.delay_next(1.5)
        worker = worker_factory(application)

        first = worker.drain()
        gave_up_at = time.time()

        [row] = rows("case_received")
        assert (first.sent, first.retrying) == (0, 1)
        assert (row.status, row.attempts, row.sent_at) == (NotificationStatus.PENDING, 1, None)
        assert "unreachable" in row.last_error

        _wait_until_answered(line_api)  # LINE took the slow push after all
        # The worker gave up at LINE_API_TIMEOUT_MS, before the fake's 1.5 s were over (the
        # fake's own clock: a loaded machine slows what comes before the push, not this).
        [slow] = line_api.requests_to(PUSH)
        assert slow.answered_at > gave_up_at
        clock.advance(seconds=application.config["NOTIFY_RETRY_SECONDS"] + 1)
        assert worker.drain().sent == 1

        # The retry carried the same retry key: LINE answered 409, the resident saw it once.
        assert [p.status for p in line_api.requests_to(PUSH)] == [200, 409]
        assert len(line_api.delivered_texts()) == 1
        [row] = rows("case_received")
        assert (row.status, row.attempts) == (NotificationStatus.SENT, 2)


def test_a_dead_workers_rows_come_back_within_a_minute(notify_app, line_api, worker_factory, clock):
    make_case(line_user_id=LINE_USER)
    crashed = worker_factory(notify_app)
    assert len(crashed.claim()) == 1  # then SIGKILL: nothing recorded, nothing renewed

    clock.advance(minutes=1)
    assert worker_factory(notify_app).drain().sent == 1
    assert len(line_api.delivered_texts()) == 1


class _SlowSender:
    """A sender that takes ``seconds`` of the test's clock for each message, then delivers it;
    while it "sends", another worker looks at the outbox."""

    def __init__(self, sender, clock, seconds: float, meanwhile) -> None:
        self.sender, self.clock, self.seconds, self.meanwhile = sender, clock, seconds, meanwhile

    def send(self, message) -> None:
        self.clock.advance(seconds=self.seconds)
        self.meanwhile()
        self.sender.send(message)

    def close(self) -> None:
        self.sender.close()


def test_a_live_worker_keeps_the_rows_it_holds_through_a_long_batch(
    notify_app, line_api, worker_factory, clock
):
    for _ in range(4):
        make_case(line_user_id=LINE_USER)
    other = worker_factory(notify_app)
    taken_by_other: list[int] = []
    slow = worker_factory(notify_app)
    slow.senders = {
        "line": _SlowSender(
            slow.senders["line"], clock, 30, lambda: taken_by_other.extend(other.claim())
        )
    }

    report = slow.run_batch()  # 4 sends of 30 s: two minutes, far past one lease

    assert (report.sent, taken_by_other) == (4, [])
    assert [p.status for p in line_api.requests_to(PUSH)] == [200] * 4


def test_a_worker_refuses_to_start_when_one_send_could_outlast_its_lease():
    check_lease_covers_a_send(10_000)  # the longest LINE timeout the settings allow
    with pytest.raises(ConfigError, match="lease"):
        check_lease_covers_a_send(int(LEASE.total_seconds() * 1000))
