"""Staff notifications: new cases for the department's officers, integrity reports, the digest,
and each staff member's own settings."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.services import set_active
from app.calendar import add_working_days, today_in_thailand
from app.extensions import db
from app.models import utcnow
from app.outbox import Notification, StaffContact
from app.statuses import Status
from cases.messages import queue_daily_digests
from integrity.intake import notify_integrity_officers
from notifications.contacts import save_contact
from tests.factories import make_case, make_user

PUSH = "/v2/bot/message/push"
OFFICER_LINE = "U" + "f" * 32


def officer_rows(template: str) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.template == template).order_by(Notification.id)
        )
    )


def test_new_case_is_sent_to_the_officers_of_its_department_only(
    notify_app, smtp_server, line_api, worker_factory
):
    works = make_user(roles=("officer",), departments=("works",), email="works@example.com")
    by_line = make_user(roles=("officer",), departments=("works",), email="line@example.com")
    save_contact(by_line, by_email=False, line_recipient=OFFICER_LINE)
    make_user(roles=("officer",), departments=("health",), email="health@example.com")
    make_user(roles=("supervisor",), email="boss@example.com")

    case, _ = make_case(category="roads")  # phone-only resident: only staff messages
    worker_factory(notify_app).drain()

    [email] = smtp_server.messages
    assert email["To"] == works.email
    assert case.code in email["Subject"]
    assert case.subject in email["Subject"]
    body = email.get_content()
    assert "มีเรื่องใหม่เข้ามาในกองของท่าน" in body
    assert "ร้องเรียน" in body  # the kind, in Thai
    assert f"https://rongrian.example/staff/cases/{case.id}" in body
    [push] = line_api.requests_to(PUSH, status=200)
    assert push.json["to"] == OFFICER_LINE
    assert case.code in push.texts[0]


def test_disabled_officers_are_not_told(app):
    officer = make_user(roles=("officer",), departments=("works",))
    set_active(officer, False)

    make_case(category="roads")

    assert officer_rows("officer_new_case") == []


def test_integrity_officers_are_told_a_report_arrived_without_any_content(
    notify_app, smtp_server, worker_factory
):
    watcher = make_user(roles=("integrity",), email="integrity@example.com")
    make_user(roles=("officer",), email="officer@example.com")

    notify_integrity_officers(db.session)
    db.session.commit()
    worker_factory(notify_app).drain()

    [email] = smtp_server.messages
    assert email["To"] == watcher.email
    body = email.get_content()
    assert "มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบเรื่องใหม่" in body
    assert "https://rongrian.example/staff/" in body
    [row] = officer_rows("integrity_report_received")
    assert (row.case_id, row.context) == (None, {})


def _days(n: int):
    from datetime import timedelta

    return timedelta(days=n)


def test_digest_lists_overdue_and_next_working_day_cases_of_the_officers_departments(
    mail_app, smtp_server, worker_factory
):
    officer = make_user(roles=("officer",), departments=("works",), email="works@example.com")
    today = today_in_thailand()
    overdue, _ = make_case(category="roads", subject="ถนนพังเกินกำหนดแล้ว")
    overdue.answer_due, overdue.acknowledged_at = today - _days(2), utcnow()
    unacknowledged, _ = make_case(category="water", subject="น้ำไม่ไหลยังไม่ตอบรับ")
    unacknowledged.acknowledge_due = today - _days(1)
    due_soon, _ = make_case(category="lights", subject="ไฟดับครบกำหนดพรุ่งนี้")
    due_soon.answer_due, due_soon.acknowledged_at = add_working_days(today, 1), utcnow()
    later, _ = make_case(category="roads", subject="ถนนยังไม่ถึงกำหนด")
    later.acknowledged_at = utcnow()
    closed, _ = make_case(category="roads", subject="ถนนปิดเรื่องแล้ว")
    closed.answer_due, closed.status = today - _days(5), Status.CLOSED
    elsewhere, _ = make_case(category="waste", subject="ขยะของกองอื่น")
    elsewhere.answer_due = today - _days(5)
    db.session.commit()
    runner = mail_app.test_cli_runner()

    first = runner.invoke(args=["notifications", "digest"])
    again = runner.invoke(args=["notifications", "digest"])
    worker_factory(mail_app).drain()

    assert "digests queued: 1 messages for 1 officers" in first.output
    assert "digests queued: 0 messages" in again.output
    digests = [m for m in smtp_server.to(officer.email) if "สรุปเรื่องที่ต้องติดตาม" in m["Subject"]]
    assert len(digests) == 1
    body = digests[0].get_content()
    overdue_part, _, soon_part = body.partition("ครบกำหนดภายในวันทำการถัดไป")
    assert "เกินกำหนด (2 เรื่อง)" in overdue_part
    assert overdue.code in overdue_part
    assert unacknowledged.code in overdue_part
    assert "(1 เรื่อง)" in soon_part
    assert due_soon.code in soon_part
    for absent in (later, closed, elsewhere):
        assert absent.code not in body
    assert "https://rongrian.example/staff/cases" in body


def test_officer_with_nothing_due_gets_no_digest(app):
    make_user(roles=("officer",), departments=("finance",))

    result = queue_daily_digests(db.session, today_in_thailand())

    assert (result.officers, result.messages) == (0, 0)


def test_staff_member_sets_line_id_and_turns_email_off(app, login_as):
    client = login_as("officer")

    page = client.get("/staff/notifications/me").get_data(as_text=True)
    refused = client.post(
        "/staff/notifications/me", data={"by_email": "", "line_recipient": "not-a-line-id"}
    )
    saved = client.post(
        "/staff/notifications/me",
        data={"line_recipient": f"  {OFFICER_LINE} "},
        follow_redirects=True,
    )

    assert "checked" in page  # email is on until turned off
    assert "LINE ID ต้องขึ้นต้นด้วย U, C หรือ R" in refused.get_data(as_text=True)
    assert "บันทึกการตั้งค่าการแจ้งเตือนแล้ว" in saved.get_data(as_text=True)
    contact = db.session.get(StaffContact, client.user.id)
    assert (contact.by_email, contact.line_recipient) == (False, OFFICER_LINE)


def test_settings_page_needs_sign_in(client):
    response = client.get("/staff/notifications/me")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")


def test_digest_of_each_body_lists_only_that_bodys_cases(mail_app, smtp_server, worker_factory):
    """Officers of two bodies, the same department code and the same e-mail: one digest each,
    each listing only its own body's overdue case, in its own body's name."""
    from app.organizations.scope import organization_scope
    from app.organizations.services import create_organization, resolve_area

    body_b = create_organization(
        db.session, "body-b", name_th="อบต.บี", area=resolve_area(None, None, ("300116",))
    )
    today = today_in_thailand()
    make_user(roles=("officer",), departments=("works",), email="works@example.com")
    mine, _ = make_case(category="roads", subject="ถนนของหน่วยงานเอ")
    mine.answer_due, mine.acknowledged_at = today - _days(2), utcnow()
    with organization_scope(body_b.id):
        make_user(roles=("officer",), departments=("works",), email="works@example.com")
        theirs, _ = make_case(category="roads", subject="ถนนของหน่วยงานบี")
        theirs.answer_due, theirs.acknowledged_at = today - _days(3), utcnow()
    db.session.commit()

    result = mail_app.test_cli_runner().invoke(args=["notifications", "digest"])
    worker_factory(mail_app).drain()

    assert "digests queued: 2 messages for 2 officers" in result.output
    digests = [m for m in smtp_server.to("works@example.com") if "สรุป" in m["Subject"]]
    by_sender = {smtp_server.sender_name(m): m.get_content() for m in digests}
    assert set(by_sender) == {"องค์การบริหารส่วนตำบลจอหอ", "อบต.บี"}
    a_body, b_body = by_sender["องค์การบริหารส่วนตำบลจอหอ"], by_sender["อบต.บี"]
    assert "ถนนของหน่วยงานเอ" in a_body and "ถนนของหน่วยงานบี" not in a_body
    assert "ถนนของหน่วยงานบี" in b_body and "ถนนของหน่วยงานเอ" not in b_body
    assert "(1 เรื่อง)" in a_body and "(1 เรื่อง)" in b_body
    assert "/o/body-b/staff/cases" in b_body  # its own body's pages
