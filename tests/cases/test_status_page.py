"""The resident's status page: secret link, no personal data, safe headers."""

from __future__ import annotations

from sqlalchemy import update

from app.extensions import db
from cases.models import Case, CaseEvent, EventType
from tests.factories import make_case


def status_url(result) -> str:
    return f"/track/{result.code}/{result.token}"


def test_status_link_shows_status_and_public_timeline_but_no_personal_data(client):
    case, result = make_case(
        contact_name="สมหญิง รักดี", contact_email="somying@example.com", contact_phone="0899999999"
    )
    db.session.add(CaseEvent(case_id=case.id, type=EventType.NOTE, body="บันทึกภายในลับ"))
    db.session.add(
        CaseEvent(case_id=case.id, type=EventType.REPLY, is_public=True, body="ช่างจะเข้าไปซ่อมวันพรุ่งนี้")
    )
    db.session.commit()
    page = client.get(status_url(result)).get_data(as_text=True)
    assert result.code in page
    assert "รับเรื่องแล้ว รอตรวจสอบ" in page
    assert "ช่างจะเข้าไปซ่อมวันพรุ่งนี้" in page
    for secret in ("บันทึกภายในลับ", "สมหญิง", "somying@example.com", "0899999999"):
        assert secret not in page


def test_status_page_dates_are_in_the_buddhist_era(client):
    case, result = make_case()
    page = client.get(status_url(result)).get_data(as_text=True)
    assert str(case.received_at.year + 543) in page


def test_status_page_is_not_cached_and_leaks_no_referrer(client):
    _, result = make_case()
    response = client.get(status_url(result))
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_wrong_token_or_code_alone_reveals_nothing(client):
    _case, result = make_case()
    assert client.get(f"/track/{result.code}/{'A' * 22}").status_code == 404
    assert client.get(f"/track/{result.code}/").status_code == 404
    assert client.get(f"/track/{result.code}").status_code in (404, 405)
    _other, other_result = make_case()
    assert client.get(f"/track/{result.code}/{other_result.token}").status_code == 404


def test_code_and_phone_lead_to_the_status_link(client):
    _, result = make_case(contact_phone="0812345678")
    response = client.post("/track", data={"code": result.code.lower(), "phone": "081 234 5678"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(status_url(result))


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


def test_merged_duplicate_link_shows_the_case_it_was_merged_into(client):
    main_case, _ = make_case(subject="ไฟถนนดับทั้งซอย")
    duplicate, duplicate_result = make_case(subject="ไฟดับซอย 5")
    db.session.execute(
        update(Case).where(Case.id == duplicate.id).values(merged_into_id=main_case.id)
    )
    db.session.commit()
    page = client.get(status_url(duplicate_result)).get_data(as_text=True)
    assert main_case.code in page
    assert "ถูกรวมเข้ากับเรื่อง" in page


def test_status_lookups_are_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, TRACK_RATE_LIMIT="3 per hour")
    with app.app_context():
        client = app.test_client()
        codes = [
            client.post("/track", data={"code": "R70-000001", "phone": "0800000000"}).status_code
            for _ in range(4)
        ]
        assert codes == [200, 200, 200, 429]
