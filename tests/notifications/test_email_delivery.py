"""Email through a real SMTP server on 127.0.0.1, delivered by the worker."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy import select

from app.extensions import db
from app.outbox import Notification, NotificationStatus
from cases.messages import notify_resident
from cases.models import Case
from tests.factories import make_case

EMAIL = "somchai@example.com"


def rows_of(case: Case) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.case_id == case.id).order_by(Notification.id)
        )
    )


def test_resident_gets_thai_receipt_email_with_code_and_a_working_status_link(
    mail_app, smtp_server
):
    case, submitted = make_case(contact_email=EMAIL)

    result = mail_app.test_cli_runner().invoke(args=["notifications", "run", "--once"])

    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    [message] = smtp_server.to(EMAIL)
    assert submitted.code in message["Subject"]
    assert message["From"].addresses[0].addr_spec == "noreply@johor.go.th"
    assert smtp_server.sender_name(message) == "องค์การบริหารส่วนตำบลจอหอ"
    body = message.get_content()
    assert "ได้รับเรื่องของท่านแล้ว" in body
    assert "องค์การบริหารส่วนตำบลจอหอ" in body
    link = f"https://rongrian.example/track/{submitted.code}/{submitted.token}"
    assert link in body
    page = mail_app.test_client().get(urlsplit(link).path, follow_redirects=True)
    assert page.status_code == 200
    [row] = rows_of(case)
    assert row.status == NotificationStatus.SENT
    assert row.sent_at is not None
    assert "token" not in row.context  # the outbox never stores the secret link


def test_reply_produces_exactly_one_email_even_when_the_worker_runs_again(
    mail_app, smtp_server, worker_factory
):
    case, _ = make_case(contact_email=EMAIL)
    worker = worker_factory(mail_app)
    worker.drain()
    notify_resident(db.session, case, "case_reply", body="ซ่อมถนนเรียบร้อยแล้วเมื่อวันที่ 20")
    db.session.commit()

    first = worker.drain()
    second = worker.drain()

    assert (first.sent, second.sent) == (1, 0)
    replies = [m for m in smtp_server.to(EMAIL) if "มีคำตอบจากเจ้าหน้าที่" in m["Subject"]]
    assert len(replies) == 1
    assert "ซ่อมถนนเรียบร้อยแล้วเมื่อวันที่ 20" in replies[0].get_content()


def test_status_change_email_names_the_new_status_in_thai(mail_app, smtp_server, worker_factory):
    case, _ = make_case(contact_email=EMAIL)
    notify_resident(db.session, case, "case_status_changed", status="in_progress")
    db.session.commit()

    worker_factory(mail_app).drain()

    [message] = [m for m in smtp_server.to(EMAIL) if "สถานะ" in m["Subject"]]
    assert "อยู่ระหว่างดำเนินการ" in message["Subject"]
    assert "อยู่ระหว่างดำเนินการ" in message.get_content()


def test_temporary_smtp_refusal_is_retried_after_backoff_and_delivered_once(
    mail_app, smtp_server, worker_factory, clock
):
    case, _ = make_case(contact_email=EMAIL)
    smtp_server.refuse = ["451 4.3.0 try again later"]
    worker = worker_factory(mail_app)

    first = worker.drain()
    [row] = rows_of(case)
    assert (first.retrying, row.status, row.attempts) == (1, NotificationStatus.PENDING, 1)
    assert "451" in row.last_error
    assert worker.drain().handled == 0  # not due before its backoff

    clock.advance(seconds=mail_app.config["NOTIFY_RETRY_SECONDS"] + 1)
    assert worker.drain().sent == 1

    assert len(smtp_server.to(EMAIL)) == 1
    [row] = rows_of(case)
    assert (row.status, row.attempts, row.last_error) == (NotificationStatus.SENT, 2, "")


def test_backoff_doubles_each_attempt_up_to_a_cap(mail_app, worker_factory):
    worker = worker_factory(mail_app)
    waits = [worker.backoff(n).total_seconds() for n in (1, 2, 3, 4)]

    assert waits == [60, 120, 240, 480]
    assert worker.backoff(30).total_seconds() == 6 * 3600


def test_permanent_refusal_goes_straight_to_the_dead_letters(mail_app, smtp_server, worker_factory):
    case, _ = make_case(contact_email=EMAIL)
    smtp_server.refuse = ["550 5.1.1 no such mailbox"]

    report = worker_factory(mail_app).drain()

    [row] = rows_of(case)
    assert (report.dead, row.status, row.attempts) == (1, NotificationStatus.DEAD, 1)
    assert "550" in row.last_error


def test_message_dies_after_the_last_allowed_attempt(
    app_factory, smtp_server, worker_factory, clock
):
    from tests.notifications.conftest import mail_settings

    application = app_factory(NOTIFY_MAX_ATTEMPTS=3, **mail_settings(smtp_server.port))
    with application.app_context():
        case, _ = make_case(contact_email=EMAIL)
        smtp_server.refuse = ["421 busy"] * 5
        worker = worker_factory(application)
        outcomes = []
        for _ in range(4):
            outcomes.append(worker.drain())
            clock.advance(hours=7)

        [row] = rows_of(case)
        assert [(o.retrying, o.dead) for o in outcomes] == [(1, 0), (1, 0), (0, 1), (0, 0)]
        assert (row.status, row.attempts) == (NotificationStatus.DEAD, 3)
        assert smtp_server.messages == []


def test_unreachable_smtp_server_leaves_the_message_pending_for_a_retry(
    app_factory, worker_factory
):
    from tests.notifications.conftest import free_port, mail_settings

    application = app_factory(**mail_settings(free_port()))
    with application.app_context():
        case, _ = make_case(contact_email=EMAIL)

        report = worker_factory(application).drain()

        [row] = rows_of(case)
        assert (report.retrying, row.status) == (1, NotificationStatus.PENDING)
        assert "unreachable" in row.last_error


def test_unconfigured_channels_leave_messages_pending_with_the_reason(app, worker_factory):
    case, _ = make_case(contact_email=EMAIL, line_user_id="U" + "a" * 32)

    report = worker_factory(app).drain()

    rows = rows_of(case)
    assert report.handled == 0
    assert [(r.channel, r.status, r.attempts) for r in rows] == [
        ("line", NotificationStatus.PENDING, 0),
        ("email", NotificationStatus.PENDING, 0),
    ]
    assert "LINE_CHANNEL_ACCESS_TOKEN" in rows[0].last_error
    assert "MAIL_SERVER" in rows[1].last_error


def test_message_whose_template_is_missing_is_dead_not_retried(mail_app, worker_factory):
    case, _ = make_case(contact_email=EMAIL)
    notify_resident(db.session, case, "no_such_template")
    db.session.commit()

    report = worker_factory(mail_app).drain()

    dead = [r for r in rows_of(case) if r.status == NotificationStatus.DEAD]
    assert report.dead == 1
    assert [r.template for r in dead] == ["no_such_template"]
    assert "no_such_template" in dead[0].last_error


def test_each_bodys_email_goes_out_in_its_own_name(mail_app, smtp_server, worker_factory):
    """One worker drains every body's outbox; each message says which body sent it."""
    from app.organizations.scope import organization_scope
    from app.organizations.services import create_organization, resolve_area

    area = resolve_area(None, None, ("300116",))
    b = create_organization(db.session, "body-b", name_th="อบต.บี", area=area)
    c = create_organization(
        db.session, "body-c", name_th="อบต.ซี", area=area, mail_sender_name="งานรับเรื่อง อบต.ซี"
    )
    make_case(contact_email="a@example.com")
    with organization_scope(b.id):
        make_case(contact_email="b@example.com")
    with organization_scope(c.id):
        make_case(contact_email="c@example.com")
    db.session.commit()

    assert worker_factory(mail_app).drain().sent == 3
    [to_a], [to_b], [to_c] = (smtp_server.to(f"{x}@example.com") for x in "abc")
    assert smtp_server.sender_name(to_a) == "องค์การบริหารส่วนตำบลจอหอ"
    assert smtp_server.sender_name(to_b) == "อบต.บี"
    assert smtp_server.sender_name(to_c) == "งานรับเรื่อง อบต.ซี"
    assert all(m["From"].addresses[0].addr_spec == "noreply@johor.go.th" for m in (to_b, to_c))
