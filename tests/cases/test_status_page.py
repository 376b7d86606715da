"""The resident's status page: secret link, no personal data, safe headers."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db
from cases.models import CaseEvent, EventType
from review import services as review_services
from tests.factories import make_case, make_user


def status_url(result) -> str:
    return f"/track/{result.code}/{result.token}"


def open_status(client, result):
    """Open the resident's link as a browser does: the token is checked, then a 303 away."""
    return client.get(status_url(result), follow_redirects=True)


def test_status_link_shows_status_and_public_timeline_but_no_personal_data(client):
    case, result = make_case(
        contact_name="สมหญิง รักดี", contact_email="somying@example.com", contact_phone="0899999999"
    )
    db.session.add(CaseEvent(case_id=case.id, type=EventType.NOTE, body="บันทึกภายในลับ"))
    db.session.add(
        CaseEvent(case_id=case.id, type=EventType.REPLY, is_public=True, body="ช่างจะเข้าไปซ่อมวันพรุ่งนี้")
    )
    db.session.commit()
    page = open_status(client, result).get_data(as_text=True)
    assert result.code in page
    assert "รับเรื่องแล้ว รอตรวจสอบ" in page
    assert "ช่างจะเข้าไปซ่อมวันพรุ่งนี้" in page
    for secret in ("บันทึกภายในลับ", "สมหญิง", "somying@example.com", "0899999999"):
        assert secret not in page


def test_status_page_dates_are_in_the_buddhist_era(client):
    case, result = make_case()
    page = open_status(client, result).get_data(as_text=True)
    assert str(case.received_at.year + 543) in page


def test_status_page_is_not_cached_and_leaks_no_referrer(client):
    _, result = make_case()
    for response in (client.get(status_url(result)), client.get(f"/track/{result.code}")):
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert response.headers["Cache-Control"] == "no-store"


def test_wrong_token_or_code_alone_reveals_nothing(client):
    _case, result = make_case()
    assert client.get(f"/track/{result.code}/{'A' * 22}").status_code == 404
    assert client.get(f"/track/{result.code}/").status_code == 404
    _other, other_result = make_case()
    assert client.get(f"/track/{result.code}/{other_result.token}").status_code == 404
    # Without the access the link grants, an existing code looks like an unknown one.
    known = client.get(f"/track/{result.code}")
    unknown = client.get("/track/R70-999999")
    assert known.status_code == unknown.status_code == 404
    message = "กรุณาเปิดลิงก์ติดตามเรื่องที่ได้รับอีกครั้ง"
    assert message in known.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_code_and_phone_lead_to_the_same_token_free_status_page(client):
    _, result = make_case(contact_phone="0812345678", subject="ท่อระบายน้ำอุดตัน")
    response = client.post("/track", data={"code": result.code.lower(), "phone": "081 234 5678"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/track/{result.code}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ท่อระบายน้ำอุดตัน" in page and result.token not in page


def test_code_with_the_wrong_phone_gets_the_same_message_as_an_unknown_code(client):
    _, result = make_case(contact_phone="0812345678")
    wrong_phone = client.post("/track", data={"code": result.code, "phone": "0800000000"})
    unknown = client.post("/track", data={"code": "R70-999999", "phone": "0812345678"})
    message = "ไม่พบเรื่องที่ตรงกับเลขรับเรื่องและเบอร์โทรศัพท์นี้"
    assert message in wrong_phone.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_case_without_phone_cannot_be_found_by_code_and_empty_phone(client):
    _, result = make_case(contact_phone="")
    response = client.post("/track", data={"code": result.code, "phone": ""})
    assert response.status_code == 200


def _merged_pair():
    """E, worked with a public reply, and its duplicate D merged into it by a supervisor."""
    supervisor = make_user(roles=("supervisor",))
    kept, _ = make_case(subject="ไฟถนนดับทั้งซอยหน้าบ้านเลขที่ 99", details="บ้านนายดำ ซอย 5 ไฟดับมาสามคืน")
    review_services.change_status(supervisor, kept, "accept", kept.version, reason="")
    review_services.change_status(supervisor, kept, "start", kept.version, reason="")
    review_services.reply(supervisor, kept, "ช่างจะเข้าไปซ่อมให้คุณดำพรุ่งนี้", kept.version)
    duplicate, duplicate_result = make_case(subject="ไฟดับซอย 5", details="ไฟดับตรงหน้าร้านค้าสองคืน")
    review_services.reply(supervisor, duplicate, "รับทราบปัญหาไฟดับของท่านแล้ว", duplicate.version)
    review_services.merge(supervisor, duplicate, kept.code, duplicate.version)
    return kept, duplicate, duplicate_result


def test_merged_duplicate_link_shows_its_own_record_and_only_the_status_of_the_other(client):
    _kept, duplicate, result = _merged_pair()
    page = open_status(client, result).get_data(as_text=True)
    # D's own record: its subject, its own reply, the merge on its timeline.
    assert duplicate.code in page and "ไฟดับซอย 5" in page
    assert "รับทราบปัญหาไฟดับของท่านแล้ว" in page
    assert "เรื่องนี้ถูกรวมกับเรื่องอื่นที่แจ้งปัญหาเดียวกัน และดำเนินการในเรื่องนั้น" in page
    # E's status only: never its subject, details or replies.
    assert 'id="handled-in-status">อยู่ระหว่างดำเนินการ<' in page
    for other_residents_text in ("ไฟถนนดับทั้งซอยหน้าบ้านเลขที่ 99", "นายดำ", "คุณดำพรุ่งนี้"):
        assert other_residents_text not in page
    # Nothing to rate or reopen on a duplicate: the work happens in the other case.
    assert 'id="rate"' not in page and 'id="reopen"' not in page


def test_the_status_link_is_traded_for_a_cookie_scoped_to_the_case_and_a_token_free_url(client):
    case, result = make_case(subject="ไฟกิ่งหน้าโรงเรียนดับ")
    response = client.get(status_url(result))
    assert response.status_code == 303
    assert response.headers["Location"] == f"/track/{case.code}"
    cookie = response.headers["Set-Cookie"]
    assert f"Path=/track/{case.code};" in cookie or cookie.endswith(f"Path=/track/{case.code}")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and result.token not in cookie
    page = client.get(f"/track/{case.code}").get_data(as_text=True)
    assert "ไฟกิ่งหน้าโรงเรียนดับ" in page and result.token not in page


def test_the_receipt_shows_the_link_to_keep_once_on_the_token_free_page(client):
    _, result = make_case()
    response = client.get(status_url(result) + "?new=1")
    assert response.headers["Location"] == f"/track/{result.code}?new=1"
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"/track/{result.code}/{result.token}" in receipt
    assert result.token not in client.get(f"/track/{result.code}").get_data(as_text=True)


def test_access_to_one_case_opens_no_other(client):
    _, mine = make_case()
    other, _ = make_case(subject="เรื่องของคนอื่น")
    open_status(client, mine)
    response = client.get(f"/track/{other.code}")
    assert response.status_code == 404 and "เรื่องของคนอื่น" not in response.get_data(as_text=True)


def test_a_forged_or_expired_access_cookie_opens_nothing(app, client):
    from itsdangerous import URLSafeTimedSerializer

    from cases import status_access

    case, result = make_case()
    forged = URLSafeTimedSerializer("not-the-secret-key", salt=status_access._SIGNING_SALT)
    client.set_cookie(
        status_access.COOKIE_NAME,
        forged.dumps({"case": case.id, "code": case.code}),
        path=f"/track/{case.code}",
    )
    assert client.get(f"/track/{case.code}").status_code == 404
    open_status(client, result)
    assert client.get(f"/track/{case.code}").status_code == 200
    later = status_access.ACCESS_LIFETIME.total_seconds() + 5
    with mock.patch("itsdangerous.timed.time.time", return_value=time.time() + later):
        assert client.get(f"/track/{case.code}").status_code == 404


@pytest.mark.parametrize("suffix", ["", "/rate", "/reopen?x=1"])
def test_a_refused_request_on_a_tokened_path_is_audited_without_the_token(app, suffix):
    from app.errors import _audit_refusal

    case, result = make_case()
    with app.test_request_context(status_url(result) + suffix, method="POST"):
        _audit_refusal("csrf_failed")
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "csrf_failed")).one()
    assert result.token not in str(entry.detail)
    assert entry.detail["path"].startswith(f"/track/{case.code}/<redacted>")


def test_status_lookups_are_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, TRACK_RATE_LIMIT="3 per hour")
    with app.app_context():
        client = app.test_client()
        codes = [
            client.post("/track", data={"code": "R70-000001", "phone": "0800000000"}).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
