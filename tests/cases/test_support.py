"""Likely duplicates while filing on the web, support (แจ้งเหมือนกัน), following and unfollowing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.outbox import Notification
from cases.errors import CaseNotFound, IntakeError, SubscriberNotFound
from cases.messages import unfollow_token
from cases.models import Case, CaseSubscriber, SubscriberKind
from cases.services import anonymise_expired_cases
from cases.subscribers import (
    SubscriberDetails,
    follow_case,
    support_case,
    support_count,
    unfollow,
)
from tests.factories import THAI_DETAILS, category_id, make_case

# The second resident's words: the same pothole, written differently.
SECOND_SUBJECT = "หลุมบนถนนหน้าบ้าน"
SECOND_DETAILS = "ถนนหน้าบ้านหมู่ 3 มีหลุมลึกมาก รถจักรยานยนต์ล้มตอนกลางคืน"


def second_resident(**overrides):
    data = {
        "kind": "complaint",
        "category_id": str(category_id("roads")),
        "subject": SECOND_SUBJECT,
        "details": SECOND_DETAILS,
        "location_text": "หมู่ 3",
        "contact_name": "สมหญิง ใจดี",
        "contact_email": "somying@example.com",
        "privacy_acknowledged": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def cases() -> int:
    return db.session.scalar(select(func.count(Case.id))) or 0


def supporter(**overrides):
    values = {"contact_email": "somying@example.com", "privacy_acknowledged": True}
    values.update(overrides)
    return SubscriberDetails(**values)


def test_second_resident_is_shown_the_open_case_without_its_residents_words(client):
    first, _ = make_case(location_text="หน้าบ้านเลขที่ 12 หมู่ 3")
    page = client.post("/complaints/new", data=second_resident())
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and cases() == 1
    assert 'id="duplicates"' in html and f'name="support_code" value="{first.code}"' in html
    assert "ถนน สะพาน ทางเท้า" in html and "หน้าบ้านเลขที่ 12 หมู่ 3" in html
    # Never the other resident's words or contact details (the case is not published).
    assert THAI_DETAILS not in html and first.subject not in html and "0812345678" not in html
    # Everything the second resident typed is kept for the next send.
    assert SECOND_DETAILS in html and "somying@example.com" in html
    assert 'name="duplicates_shown" type="hidden" value="1"' in html


def test_supporting_instead_of_filing_counts_keeps_contact_privately_and_files_nothing(client):
    first, _ = make_case()
    response = client.post(
        "/complaints/new", data=second_resident(duplicates_shown="1", support_code=first.code)
    )
    assert response.status_code == 302 and cases() == 1
    row = db.session.scalars(select(CaseSubscriber)).one()
    assert (row.case_id, row.kind) == (first.id, "support")
    assert row.contact_email == "somying@example.com"
    assert row.contact_name == "สมหญิง ใจดี" and row.privacy_notice_version
    assert support_count(first.id) == 1
    # The welcome message names no address in the outbox: it is looked up at delivery.
    welcome = db.session.scalars(
        select(Notification).where(Notification.template == "case_subscribed")
    ).one()
    assert welcome.recipient == "" and welcome.context["subscriber_id"] == row.id
    assert "แจ้งเหมือนกัน" in client.get("/").get_data(as_text=True)


def test_resident_can_still_file_their_own_after_seeing_the_suggestions(client):
    make_case()
    response = client.post("/complaints/new", data=second_resident(duplicates_shown="1"))
    assert response.status_code == 302 and cases() == 2


def test_no_suggestion_step_without_a_likely_duplicate(client):
    make_case(category_id=category_id("water"))
    response = client.post("/complaints/new", data=second_resident())
    assert response.status_code == 302 and cases() == 2


def test_officer_entry_is_never_held_up_by_suggestions(app, login_as):
    make_case()
    staff = login_as("officer")
    data = second_resident(channel="phone", received_on="", received_time="")
    page = staff.post("/staff/cases/new", data=data)
    assert 'id="duplicates"' not in page.get_data(as_text=True)


def test_supporting_a_closed_or_unknown_case_files_the_residents_own_form_again(client):
    response = client.post(
        "/complaints/new", data=second_resident(duplicates_shown="1", support_code="R69-999999")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "ปิดไปแล้ว" in html and SECOND_DETAILS in html
    assert db.session.scalar(select(func.count(CaseSubscriber.id))) == 0


def test_support_with_a_wrong_email_is_refused_in_thai_with_the_text_kept(client):
    first, _ = make_case()
    response = client.post(
        "/complaints/new",
        data=second_resident(support_code=first.code, contact_email="not-an-address"),
    )
    html = response.get_data(as_text=True)
    assert "อีเมลไม่ถูกต้อง" in html and SECOND_DETAILS in html
    assert f'name="support_code" value="{first.code}"' in html  # still offered
    assert support_count(first.id) == 0


def test_the_same_address_supporting_twice_counts_once_and_a_follower_becomes_a_supporter(app):
    first, _ = make_case()
    follow_case(first.code, supporter())
    support_case(first.code, supporter())
    support_case(first.code, supporter(contact_phone="0899999999"))
    row = db.session.scalars(select(CaseSubscriber)).one()
    assert row.kind == SubscriberKind.SUPPORT and row.contact_phone == "0899999999"
    assert support_count(first.id) == 1


def test_support_needs_the_privacy_notice_and_an_open_case(app):
    first, _ = make_case()
    with pytest.raises(IntakeError) as refused:
        support_case(first.code, supporter(privacy_acknowledged=False))
    assert "privacy_acknowledged" in refused.value.field_errors
    with pytest.raises(CaseNotFound):
        support_case("R69-000000", supporter())


def test_following_needs_an_address(app):
    first, _ = make_case()
    with pytest.raises(IntakeError) as refused:
        follow_case(first.code, supporter(contact_email=""))
    assert "contact_email" in refused.value.field_errors


def test_follow_form_on_the_status_page_subscribes_by_email(client):
    first, result = make_case()
    client.get(f"/track/{result.code}/{result.token}")
    page = client.get(f"/track/{first.code}").get_data(as_text=True)
    assert "ติดตามเรื่องนี้" in page and f"/cases/{first.code}/follow" in page
    response = client.post(
        f"/cases/{first.code}/follow",
        data={
            "contact_email": "neighbour@example.com",
            "privacy_acknowledged": "y",
            "next": f"/track/{first.code}",
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == f"/track/{first.code}"
    row = db.session.scalars(select(CaseSubscriber)).one()
    assert (row.kind, row.contact_email) == ("follow", "neighbour@example.com")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"contact_email": "nobody", "privacy_acknowledged": "y"}, "อีเมลไม่ถูกต้อง"),
        ({"contact_email": "", "privacy_acknowledged": "y"}, "กรุณากรอกอีเมล"),
        ({"contact_email": "a@example.com"}, "ประกาศความเป็นส่วนตัว"),
    ],
)
def test_follow_form_mistakes_are_a_thai_422_with_the_address_kept(client, data, message):
    first, _ = make_case()
    response = client.post(f"/cases/{first.code}/follow", data=data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CaseSubscriber.id))) == 0


def test_following_an_unknown_case_is_not_found(client):
    response = client.post("/cases/R69-999999/follow", data={"contact_email": "a@example.com"})
    assert response.status_code == 404


def test_unfollow_link_asks_once_then_stops_and_forgets_a_followers_address(client):
    first, _ = make_case()
    row = follow_case(first.code, supporter())
    path = f"/follow/stop/{row.id}/{unfollow_token(row.id)}"
    page = client.get(path)
    assert page.status_code == 200 and first.code in page.get_data(as_text=True)
    assert row.stopped_at is None  # a link preview opening the page changes nothing
    done = client.post(path)
    assert done.status_code == 200 and 'id="unfollowed"' in done.get_data(as_text=True)
    db.session.refresh(row)
    assert row.stopped_at is not None and row.contact_email == ""
    assert client.post(path).status_code == 200  # a second click is harmless


def test_a_supporter_who_unfollows_stays_counted_with_contact_for_staff(app):
    first, _ = make_case()
    row = support_case(first.code, supporter())
    unfollow(row.id, unfollow_token(row.id))
    assert support_count(first.id) == 1 and row.contact_email == "somying@example.com"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda sid, token: (sid, token[:-1] + ("0" if token[-1] != "0" else "1")),
        lambda sid, token: (sid + 1, token),
        lambda sid, token: (sid, ""),
        lambda sid, token: (sid, "x" * 200),
    ],
    ids=["changed-token", "other-id", "empty", "long"],
)
def test_tampered_unfollow_links_are_not_found(client, tamper):
    first, _ = make_case()
    row = follow_case(first.code, supporter())
    other = follow_case(first.code, supporter(contact_email="other@example.com"))
    subscriber_id, token = tamper(row.id, unfollow_token(row.id))
    assert client.get(f"/follow/stop/{subscriber_id}/{token or 'x'}").status_code == 404
    assert client.post(f"/follow/stop/{subscriber_id}/{token or 'x'}").status_code == 404
    with pytest.raises(SubscriberNotFound):
        unfollow(subscriber_id, token)
    assert row.stopped_at is None and other.stopped_at is None


def test_anonymising_a_case_removes_its_supporters_details_but_keeps_the_count(app):
    first, _ = make_case()
    support_case(first.code, supporter(contact_name="สมหญิง", contact_phone="0811111111"))
    first.status = "closed"
    first.closed_at = first.received_at.replace(year=first.received_at.year - 5)
    db.session.commit()
    assert anonymise_expired_cases() == 1
    row = db.session.scalars(select(CaseSubscriber)).one()
    assert (row.contact_name, row.contact_phone, row.contact_email, row.line_user_id) == (
        "",
        "",
        "",
        None,
    )
    assert support_count(first.id) == 1
