"""Supporters and followers hear of a case's public changes through the outbox, privately."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.outbox import Notification
from cases.subscribers import SubscriberDetails, follow_case, support_case
from review import services
from tests.factories import make_case, make_user


def _follower(email: str) -> SubscriberDetails:
    return SubscriberDetails(contact_email=email, privacy_acknowledged=True)


def test_status_change_and_reply_reach_subscribers_by_email_with_a_working_unfollow_link(
    mail_app, smtp_server, worker_factory
):
    case, _ = make_case(contact_email="owner@example.com")
    support_case(case.code, _follower("supporter@example.com"))
    follow_case(case.code, _follower("follower@example.com"))
    officer = make_user(roles=("officer",))
    services.change_status(officer, case, "accept", case.version)
    services.reply(officer, case, "คุณสมชาย เราจะซ่อมพรุ่งนี้", case.version)
    worker_factory(mail_app).drain()

    for address in ("supporter@example.com", "follower@example.com"):
        bodies = [m.get_content() for m in smtp_server.to(address)]
        assert len(bodies) == 3  # welcome, status change, reply
        assert any("เปลี่ยนสถานะเป็น: ตอบรับเรื่องแล้ว" in body for body in bodies)
        assert any("ตอบกลับผู้ร้อง" in body for body in bodies)
        # Never the reply's words (written to the resident) nor the resident's status link.
        assert all("คุณสมชาย" not in body and "/track/" not in body for body in bodies)
    # The case's own resident still gets the reply itself.
    assert any("คุณสมชาย" in m.get_content() for m in smtp_server.to("owner@example.com"))
    # The outbox never held the subscribers' addresses; settled rows keep no reference.
    rows = db.session.scalars(
        select(Notification).where(Notification.template.like("subscriber_%"))
    ).all()
    assert rows and all(r.recipient == "" and r.context == {} for r in rows)

    last = smtp_server.to("follower@example.com")[-1].get_content()
    link = re.search(r"https?://\S+/follow/stop/\d+/\w+", last)
    assert link is not None
    client = mail_app.test_client()
    path = link.group(0).split("rongrian.example", 1)[1]
    assert client.post(path).status_code == 200

    services.change_status(officer, case, "start", case.version)
    worker_factory(mail_app).drain()
    assert len(smtp_server.to("follower@example.com")) == 3  # nothing after unfollowing
    assert len(smtp_server.to("supporter@example.com")) == 4


def test_case_received_and_internal_notes_are_not_fanned_out(mail_app, smtp_server, worker_factory):
    case, _ = make_case()
    follow_case(case.code, _follower("follower@example.com"))
    officer = make_user(roles=("officer",))
    services.add_note(officer, case, "บันทึกภายใน", case.version)
    worker_factory(mail_app).drain()
    assert len(smtp_server.to("follower@example.com")) == 1  # the welcome only
