"""The resident's web forms: every error path, what is kept, what is ignored."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from cases.models import Case
from tests.factories import THAI_DETAILS, THAI_SUBJECT, category_id


def form_data(**overrides):
    data = {
        "kind": "complaint",
        "category_id": str(category_id("roads")),
        "subject": THAI_SUBJECT,
        "details": THAI_DETAILS,
        "location_text": "หน้าวัด หมู่ 3",
        "contact_phone": "0812345678",
        "privacy_acknowledged": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def case_count() -> int:
    return db.session.scalar(select(func.count(Case.id))) or 0


@pytest.mark.parametrize("path", ["/complaints/new", "/feedback/new"])
def test_form_page_shows_the_fields_and_the_privacy_notice(client, path):
    page = client.get(path).get_data(as_text=True)
    for label in ("หมวดเรื่อง", "รายละเอียด", "แนบรูปภาพหรือไฟล์ PDF", "ประกาศความเป็นส่วนตัว", "มาตรา ๒๔"):
        assert label in page


def test_valid_complaint_redirects_to_the_token_free_status_page_showing_the_link(client):
    before = case_count()
    response = client.post("/complaints/new", data=form_data())
    assert response.status_code == 302
    assert re.search(r"/track/R\d{2}-\d{6}\?new=1$", response.headers["Location"])
    assert case_count() == before + 1
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ส่งเรื่องเรียบร้อยแล้ว" in page
    # The link to keep is on the page, not in the address.
    assert re.search(r"/track/R\d{2}-\d{6}/[\w-]{22}<", page)


@pytest.mark.parametrize("path", ["/complaints/new", "/feedback/new"])
def test_the_resident_chooses_publication_and_the_notice_says_what_is_shown(client, path):
    page = client.get(path).get_data(as_text=True)
    notice = page.split('id="publication-notice"')[1].split("</li>")[0]
    assert "ค่าเริ่มต้นคือไม่เผยแพร่" in notice and "ไม่แสดงชื่อหรือข้อมูลติดต่อ" in notice
    assert 'name="publication_allowed"' in page
    assert 'name="publication_allowed" type="checkbox" value="y" checked' not in page


@pytest.mark.parametrize("choice, allowed", [(None, False), ("y", True)])
def test_publication_is_allowed_only_when_the_resident_ticks_it(client, choice, allowed):
    client.post("/complaints/new", data=form_data(publication_allowed=choice))
    case = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case.publication_allowed is allowed


def test_feedback_form_accepts_a_question(client):
    response = client.post(
        "/feedback/new", data=form_data(kind="question", category_id=str(category_id("welfare")))
    )
    assert response.status_code == 302
    case = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert case.kind == "question"


def test_feedback_form_cannot_be_used_to_send_a_complaint_kind(client):
    response = client.post("/feedback/new", data=form_data(kind="complaint"))
    assert response.status_code == 200
    assert "กรุณาเลือกประเภทเรื่อง" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"subject": ""}, "กรุณาระบุเรื่องอย่างน้อย 3 ตัวอักษร"),
        ({"details": "สั้น"}, "กรุณาเล่ารายละเอียดอย่างน้อย 10 ตัวอักษร"),
        ({"category_id": ""}, "กรุณาเลือกหมวดเรื่อง"),
        ({"category_id": "abc"}, "กรุณาเลือกหมวดเรื่อง"),
        ({"contact_phone": "12-34"}, "เบอร์โทรศัพท์ไม่ถูกต้อง"),
        ({"contact_email": "somchai@"}, "อีเมลไม่ถูกต้อง"),
        ({"privacy_acknowledged": None}, "กรุณารับทราบประกาศความเป็นส่วนตัวก่อนส่ง"),
        ({"latitude": "14.9", "longitude": "", "share_location": "y"}, "พิกัดไม่ครบ"),
    ],
)
def test_each_mistake_is_shown_in_thai_and_typed_text_is_kept(client, overrides, message):
    before = case_count()
    response = client.post("/complaints/new", data=form_data(**overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert "ยังส่งไม่ได้" in page
    assert THAI_DETAILS in page or overrides.get("details")
    assert case_count() == before


def test_errors_are_shown_in_english_after_switching_language(client):
    client.post("/lang", data={"lang": "en", "next": "/complaints/new"})
    page = client.post("/complaints/new", data=form_data(subject="")).get_data(as_text=True)
    assert "Please give a subject of at least 3 characters." in page
    assert 'lang="en"' in page


def test_language_switch_never_redirects_off_site(client):
    response = client.post("/lang", data={"lang": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_honeypot_filled_by_a_bot_is_refused_and_stores_nothing(client):
    before = case_count()
    response = client.post("/complaints/new", data=form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert case_count() == before


def test_fields_the_form_does_not_show_are_ignored(client):
    response = client.post(
        "/complaints/new",
        data=form_data(
            status="closed", channel="mayor_hotline", line_user_id="Uevil", role="admin"
        ),
    )
    assert response.status_code == 302
    case = db.session.scalars(select(Case).order_by(Case.id.desc())).first()
    assert (case.status, case.channel, case.line_user_id) == ("received", "web", None)


def test_submitted_text_is_escaped_on_the_status_page(client):
    response = client.post(
        "/complaints/new",
        data=form_data(
            subject="<script>alert(1)</script> {{7*7}}",
            details="<img src=x onerror=alert(1)> {{7*7}} ถนนพังมาก",
        ),
    )
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{7*7}}" in page
    assert "</script> 49" not in page and "onerror=alert(1)> 49" not in page


def test_form_without_csrf_token_is_refused_in_thai(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        before = case_count()
        response = app.test_client().post("/complaints/new", data=form_data())
        assert response.status_code == 400
        assert "แบบฟอร์มหมดอายุ" in response.get_data(as_text=True)
        assert case_count() == before


def test_form_with_csrf_token_is_accepted(app_factory):
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        page = client.get("/complaints/new").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/complaints/new", data=form_data(csrf_token=token))
        assert response.status_code == 302


def test_too_many_successful_submissions_from_one_address_are_throttled(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, INTAKE_RATE_LIMIT="2 per hour")
    with app.app_context():
        client = app.test_client()
        # The same text each time: the resident has seen the likely-duplicates step already.
        data = form_data(duplicates_shown="1")
        statuses = [client.post("/complaints/new", data=data).status_code for _ in range(3)]
        assert statuses == [302, 302, 429]
        assert "ส่งคำขอบ่อยเกินไป" in client.post("/complaints/new", data=data).get_data(as_text=True)


def test_mistakes_do_not_count_towards_the_rate_limit(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, INTAKE_RATE_LIMIT="1 per hour")
    with app.app_context():
        client = app.test_client()
        for _ in range(3):
            assert client.post("/complaints/new", data=form_data(subject="")).status_code == 200
        assert client.post("/complaints/new", data=form_data()).status_code == 302
