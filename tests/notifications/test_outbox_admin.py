"""The admin's outbox page: who may open it, dead letters, and retrying them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db
from app.organizations.services import create_organization, resolve_area
from app.outbox import Notification, NotificationStatus
from tests.factories import make_case, make_user, sign_in
from tests.notifications.conftest import mail_settings

EMAIL = "somchai@example.com"


def dead_letter(case_id: int | None = None, recipient: str = EMAIL) -> Notification:
    row = Notification(
        case_id=case_id,
        channel="email",
        recipient=recipient,
        template="case_received",
        status=NotificationStatus.DEAD,
        attempts=8,
        last_error="SMTP 550: 'mailbox unavailable'",
    )
    db.session.add(row)
    db.session.commit()
    return row


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (None, 302),
        (("officer",), 403),
        (("supervisor",), 403),
        (("executive",), 403),
        (("integrity",), 403),
        (("admin",), 200),
    ],
)
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/staff/admin/notifications/"),
        ("post", "/staff/admin/notifications/retry-all"),
        ("post", "/staff/admin/notifications/999999/retry"),
    ],
)
def test_only_admins_reach_the_outbox_pages(client, login_as, roles, expected, method, url):
    user_client = login_as(*roles) if roles else client

    response = getattr(user_client, method)(url)

    ok = 302 if method == "post" else 200  # a POST redirects back to the page
    assert response.status_code == (ok if expected == 200 else expected)


def test_admin_sees_dead_letters_with_their_reason_and_why_a_channel_waits(app, login_as):
    dead_letter()

    page = login_as("admin").get("/staff/admin/notifications/").get_data(as_text=True)

    assert EMAIL in page
    assert "mailbox unavailable" in page
    assert "LINE_CHANNEL_ACCESS_TOKEN" in page
    assert "ส่งใหม่" in page


def test_admin_home_links_to_the_outbox(app, login_as):
    page = login_as("admin").get("/staff/").get_data(as_text=True)

    assert "/staff/admin/notifications/" in page


def test_retried_dead_letter_is_delivered_once_by_the_next_worker_run(
    app_factory, smtp_server, worker_factory
):
    application = app_factory(**mail_settings(smtp_server.port))
    with application.app_context():
        case, submitted = make_case()  # phone only: no receipt queued
        row = dead_letter(case_id=case.id)
        admin = application.test_client()
        sign_in(admin, make_user(roles=("admin",)))

        response = admin.post(f"/staff/admin/notifications/{row.id}/retry", follow_redirects=True)

        assert "นำข้อความกลับเข้าคิวส่งแล้ว" in response.get_data(as_text=True)
        db.session.refresh(row)
        assert (row.status, row.attempts) == (NotificationStatus.PENDING, 0)
        audit = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "notification_retried")
        ).all()
        assert [a.target_id for a in audit] == [str(row.id)]

        assert worker_factory(application).drain().sent == 1
        [message] = smtp_server.to(EMAIL)
        assert submitted.code in message["Subject"]


def test_retry_all_puts_every_dead_letter_back(app, login_as):
    rows = [dead_letter(recipient=f"r{n}@example.com") for n in range(3)]

    response = login_as("admin").post("/staff/admin/notifications/retry-all", follow_redirects=True)

    assert "นำข้อความ 3 รายการกลับเข้าคิวส่งแล้ว" in response.get_data(as_text=True)
    for row in rows:
        db.session.refresh(row)
        assert row.status == NotificationStatus.PENDING


def test_retrying_a_message_that_is_not_dead_changes_nothing(app, login_as):
    row = dead_letter()
    row.status = NotificationStatus.SENT
    db.session.commit()

    response = login_as("admin").post(
        f"/staff/admin/notifications/{row.id}/retry", follow_redirects=True
    )

    assert "ไม่พบข้อความนี้" in response.get_data(as_text=True)
    db.session.refresh(row)
    assert row.status == NotificationStatus.SENT


def test_retry_needs_the_csrf_token(app_factory):
    application = app_factory(WTF_CSRF_ENABLED=True)
    with application.app_context():
        row = dead_letter()
        admin = application.test_client()
        user = make_user(roles=("admin",))
        sign_in(admin, user)  # through the real forms, CSRF tokens and second factor included

        response = admin.post(f"/staff/admin/notifications/{row.id}/retry")

        assert response.status_code == 400
        db.session.refresh(row)
        assert row.status == NotificationStatus.DEAD


def test_the_outbox_page_names_channels_messages_and_missing_settings_in_thai(app, login_as):
    dead_letter()

    page = login_as("admin").get("/staff/admin/notifications/").get_data(as_text=True)

    assert '<th scope="row">อีเมล</th>' in page and '<th scope="row">LINE</th>' in page
    line_waits = page.split('id="not-configured-line"')[1].split("</p>")[0]
    assert "ยังไม่ได้ตั้งค่าบัญชี LINE Official Account" in line_waits
    assert "is not configured" not in page  # the English log text stays in the logs
    assert "แจ้งผู้ร้องว่าได้รับเรื่อง" in page and ">case_received" not in page


@pytest.mark.parametrize(
    ("method", "old", "new"),
    [
        ("get", "/staff/notifications/", "/staff/admin/notifications/"),
        ("post", "/staff/notifications/retry-all", "/staff/admin/notifications/retry-all"),
        ("post", "/staff/notifications/7/retry", "/staff/admin/notifications/7/retry"),
    ],
)
def test_the_outbox_pages_old_urls_redirect_to_the_admin_space(client, method, old, new):
    response = getattr(client, method)(old)

    assert response.status_code == 308  # the method and the form are kept
    assert response.headers["Location"].endswith(new)


def test_an_old_retry_link_still_retries_through_the_redirect(app, login_as):
    row = dead_letter()

    response = login_as("admin").post(f"/staff/notifications/{row.id}/retry", follow_redirects=True)

    assert response.status_code == 200
    assert "นำข้อความกลับเข้าคิวส่งแล้ว" in response.get_data(as_text=True)
    db.session.refresh(row)
    assert row.status == NotificationStatus.PENDING


def test_an_old_url_keeps_the_organization_prefix(app, client):
    create_organization(
        db.session, "body-b", name_th="อบต.บี", area=resolve_area(None, None, ("300116",))
    )
    db.session.commit()

    response = client.get("/o/body-b/staff/notifications/")

    assert response.status_code == 308
    assert response.headers["Location"].endswith("/o/body-b/staff/admin/notifications/")
