"""The queue, the case page and its actions, officer entry, and the resident's status actions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.calendar import BANGKOK
from app.extensions import db
from app.statuses import Status
from cases.models import Case, Channel, EventType
from review import reference, services
from tests.factories import make_case, make_user


def _audit(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _status_url(result) -> str:
    return f"/track/{result.code}/{result.token}"


def test_officer_queue_shows_only_their_departments_cases_with_tab_counts(login_as):
    officer = login_as("officer")
    road, _ = make_case(subject="ถนนพังหน้าโรงเรียน")
    waste, _ = make_case(category="waste", subject="ขยะไม่มีคนเก็บ")
    accepted, _ = make_case(subject="ไฟถนนดับทั้งซอย", category="lights")
    services.change_status(officer.user, accepted, "accept", accepted.version)
    page = officer.get("/staff/cases").get_data(as_text=True)
    assert road.code in page and accepted.code in page
    assert waste.code not in page
    assert 'id="count-open">2<' in page
    assert 'id="count-received">1<' in page and 'id="count-accepted">1<' in page
    accepted_tab = officer.get("/staff/cases?tab=accepted").get_data(as_text=True)
    assert accepted.code in accepted_tab and road.code not in accepted_tab


def test_supervisor_sees_every_department(login_as):
    waste, _ = make_case(category="waste")
    assert waste.code in login_as("supervisor").get("/staff/cases").get_data(as_text=True)


def test_queue_search_matches_thai_text(login_as):
    officer = login_as("officer")
    pothole, _ = make_case(subject="ถนนเป็นหลุมลึก", details="หน้าวัดบ้านจอหอ รถล้มบ่อย")
    pipe, _ = make_case(category="water", subject="ท่อประปาแตก", details="น้ำไหลนองถนนทั้งวัน")
    page = officer.get("/staff/cases", query_string={"q": "วัดบ้านจอหอ"}).get_data(as_text=True)
    assert pothole.code in page and pipe.code not in page
    page = officer.get("/staff/cases", query_string={"q": "ประปา"}).get_data(as_text=True)
    assert pipe.code in page and pothole.code not in page


def test_queue_search_finds_what_a_person_types_in_other_word_forms(login_as):
    officer = login_as("officer")
    lights, _ = make_case(category="lights", subject="ไฟถนนดับ", details="ซอย 5 มืดทั้งซอย")
    page = officer.get("/staff/cases", query_string={"q": "ไฟดับ"}).get_data(as_text=True)
    assert lights.code in page


def test_queue_filters_overdue_mine_channel_and_dates(login_as):
    officer = login_as("officer")
    late, _ = make_case(
        channel=Channel.PHONE, received_at=datetime(2026, 10, 1, 10, 0, tzinfo=BANGKOK)
    )
    fresh, _ = make_case()
    services.assign(officer.user, fresh, fresh.department_id, officer.user.id, fresh.version)

    def codes(**args: str) -> str:
        return officer.get("/staff/cases", query_string=args).get_data(as_text=True)

    assert late.code in codes(overdue="y") and fresh.code not in codes(overdue="y")
    assert fresh.code in codes(mine="y") and late.code not in codes(mine="y")
    assert late.code in codes(channel="phone") and fresh.code not in codes(channel="phone")
    october = codes(received_from="2026-10-01", received_to="2026-10-31")
    assert late.code in october and fresh.code not in october
    assert "queue-empty" in codes(received_from="not-a-date", q="ไม่มีเรื่องนี้แน่นอน")


def test_queue_pages_with_next_links(login_as):
    officer = login_as("officer")
    for n in range(27):
        make_case(subject=f"เรื่องที่ {n:02d}")
    first = officer.get("/staff/cases").get_data(as_text=True)
    assert first.count('class="case-row"') == 25
    next_link = first.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = officer.get(next_link).get_data(as_text=True)
    assert second.count('class="case-row"') == 2
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_case_page_shows_personal_data_and_audits_the_view(login_as):
    officer = login_as("officer")
    case, _ = make_case(contact_name="นางสมศรี ใจงาม", with_attachment=True)
    page = officer.get(f"/staff/cases/{case.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "นางสมศรี ใจงาม" in html and "0812345678" in html
    assert page.headers["Cache-Control"] == "no-store"
    [view] = _audit("case_viewed")
    assert (view.user_id, view.target_id) == (officer.user.id, str(case.id))


def test_attachments_download_for_authorised_staff_only_and_are_audited(login_as):
    case, _ = make_case(with_attachment=True)
    attachment = case.attachments[0]
    url = f"/staff/cases/{case.id}/attachments/{attachment.id}"
    officer = login_as("officer")
    response = officer.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()
    assert len(_audit("attachment_downloaded")) == 1
    assert login_as("officer", departments=("finance",)).get(url).status_code == 403
    assert login_as("executive").get(url).status_code == 403
    assert officer.get(f"/staff/cases/{case.id}/attachments/999999").status_code == 404


def test_officer_accepts_and_replies_and_the_resident_sees_the_reply(login_as, client):
    officer = login_as("officer")
    case, result = make_case()
    response = officer.post(
        f"/staff/cases/{case.id}/status", data={"action": "accept", "version": case.version}
    )
    assert response.status_code == 302
    officer.post(
        f"/staff/cases/{case.id}/reply",
        data={"body": "ช่างจะเข้าซ่อมถนนวันพฤหัสบดีนี้", "version": case.version},
    )
    officer.post(
        f"/staff/cases/{case.id}/note",
        data={"body": "ลับ: งบซ่อมถนนเหลือน้อย", "version": case.version},
    )
    status_page = client.get(_status_url(result), follow_redirects=True).get_data(as_text=True)
    assert "ตอบรับเรื่องแล้ว" in status_page
    assert "ช่างจะเข้าซ่อมถนนวันพฤหัสบดีนี้" in status_page
    assert "งบซ่อมถนน" not in status_page


def test_illegal_action_is_refused_with_a_clear_message(login_as):
    officer = login_as("officer")
    case, _ = make_case()
    response = officer.post(
        f"/staff/cases/{case.id}/status", data={"action": "close", "version": case.version}
    )
    assert response.status_code == 422
    assert "ไม่สามารถปิดเรื่องได้" in response.get_data(as_text=True)
    response = officer.post(
        f"/staff/cases/{case.id}/status", data={"action": "reject", "version": case.version}
    )
    assert "กรุณาระบุเหตุผลที่ไม่รับเรื่อง" in response.get_data(as_text=True)


def test_second_officer_gets_a_clear_message_the_fresh_state_and_keeps_the_text(login_as):
    first, second = login_as("officer"), login_as("officer")
    case, _ = make_case()
    seen = case.version
    first.post(f"/staff/cases/{case.id}/status", data={"action": "accept", "version": seen})
    response = second.post(
        f"/staff/cases/{case.id}/reply", data={"body": "ข้อความที่พิมพ์ไว้ยาว ๆ", "version": seen}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "ถูกแก้ไขโดยเจ้าหน้าที่อีกท่าน" in html
    assert "ตอบรับเรื่องแล้ว" in html  # the fresh status
    assert "ข้อความที่พิมพ์ไว้ยาว ๆ" in html
    assert f'name="version" type="hidden" value="{case.version}"' in html
    assert not [e for e in case.events if e.type == EventType.REPLY]


def _case_views(case: Case) -> int:
    return len([e for e in _audit("case_viewed") if e.target_id == str(case.id)])


def test_every_render_of_the_case_page_is_audited_the_409_and_422_too(login_as):
    first, second = login_as("officer"), login_as("officer")
    case, _ = make_case()
    seen = case.version
    first.post(f"/staff/cases/{case.id}/status", data={"action": "accept", "version": seen})
    stale = second.post(f"/staff/cases/{case.id}/note", data={"body": "บันทึก", "version": seen})
    assert stale.status_code == 409
    assert _case_views(case) == 1
    refused = second.post(
        f"/staff/cases/{case.id}/status", data={"action": "accept", "version": case.version}
    )
    assert refused.status_code == 422
    assert _case_views(case) == 2
    assert second.get(f"/staff/cases/{case.id}").status_code == 200
    views = [e for e in _audit("case_viewed") if e.target_id == str(case.id)]
    assert [e.user_id for e in views] == [second.user.id] * 3


def test_reply_templates_prefill_the_reply(login_as):
    template = reference.save_reply_template(
        None, "รับเรื่องแล้ว", "ได้รับเรื่องแล้ว จะดำเนินการโดยเร็ว", 0, True
    )
    case, _ = make_case()
    page = login_as("officer").get(f"/staff/cases/{case.id}?template={template.id}")
    assert "ได้รับเรื่องแล้ว จะดำเนินการโดยเร็ว</textarea>" in page.get_data(as_text=True)


def test_assign_and_merge_through_the_case_page(login_as):
    officer = login_as("officer")
    colleague = make_user(roles=("officer",), display_name="ช่างสมปอง")
    original, _ = make_case()
    duplicate, _ = make_case()
    officer.post(
        f"/staff/cases/{original.id}/assign",
        data={
            "department_id": original.department_id,
            "officer_id": colleague.id,
            "version": original.version,
        },
    )
    assert original.assigned_to_id == colleague.id
    response = officer.post(
        f"/staff/cases/{duplicate.id}/merge",
        data={"into_code": original.code, "version": duplicate.version},
    )
    assert response.status_code == 302 and duplicate.merged_into_id == original.id
    moved = officer.post(
        f"/staff/cases/{original.id}/assign",
        data={"department_id": colleague.departments[0].id + 1, "version": original.version},
    )
    assert moved.status_code == 403


def test_officer_enters_a_phone_case_with_the_real_received_date(login_as):
    officer = login_as("officer")
    assert officer.get("/staff/cases/new").status_code == 200
    yesterday = date.today() - timedelta(days=1)
    response = officer.post(
        "/staff/cases/new",
        data={
            "kind": "grievance",
            "channel": "phone",
            "received_on": yesterday.isoformat(),
            "received_time": "14:30",
            "category_id": db.session.scalar(select(Case.category_id).limit(1)) or 1,
            "subject": "น้ำประปาไม่ไหลหมู่ 7",
            "details": "ผู้ใหญ่บ้านโทรมาแจ้งว่าน้ำประปาไม่ไหลมาสองวันแล้ว",
            "contact_phone": "0899999999",
            "privacy_acknowledged": "y",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    case = db.session.scalars(select(Case).where(Case.subject == "น้ำประปาไม่ไหลหมู่ 7")).one()
    assert case.channel == Channel.PHONE
    assert case.received_at == datetime.combine(
        yesterday, datetime.min.time().replace(hour=14, minute=30), BANGKOK
    )
    assert response.headers["Location"] == f"/staff/cases/{case.id}/receipt"
    assert [e.author_id for e in case.events if e.type == EventType.NOTE] == [officer.user.id]
    assert len(_audit("case_entered")) == 1


def test_officer_entry_refuses_web_channel_and_future_dates(login_as):
    officer = login_as("officer")
    response = officer.post(
        "/staff/cases/new",
        data={
            "kind": "complaint",
            "channel": "web",
            "received_on": "2099-01-01",
            "subject": "ทดสอบ",
            "details": "รายละเอียดทดสอบยาวพอ",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "ช่องทางไม่ถูกต้อง" in html and "วันที่รับเรื่องต้องไม่เป็นวันในอนาคต" in html


@pytest.fixture
def resolved(login_as):
    officer = login_as("officer")
    case, result = make_case()
    services.change_status(officer.user, case, "start", case.version)
    services.change_status(officer.user, case, "resolve", case.version, reason="ซ่อมเสร็จแล้ว")
    return case, result


def test_resident_rates_and_reopens_from_the_status_page(client, resolved):
    case, result = resolved
    page = client.get(_status_url(result), follow_redirects=True).get_data(as_text=True)
    assert 'id="rate"' in page and 'id="reopen"' in page
    # The forms post to token-free addresses; the link's cookie gives access.
    assert f'action="/track/{case.code}/rate"' in page
    assert f'action="/track/{case.code}/reopen"' in page and result.token not in page
    response = client.post(f"/track/{case.code}/rate", data={"rating": "5", "comment": "ขอบคุณมาก"})
    assert response.status_code == 303 and response.headers["Location"] == f"/track/{case.code}"
    assert case.rating == 5
    assert 'id="rate"' not in client.get(f"/track/{case.code}").get_data(as_text=True)
    client.post(f"/track/{case.code}/reopen", data={"reason": "ถนนพังอีกแล้ว"})
    assert case.status == Status.IN_PROGRESS
    page = client.get(f"/track/{case.code}").get_data(as_text=True)
    assert "ถนนพังอีกแล้ว" in page and 'id="reopen"' not in page


def test_resident_actions_need_the_access_the_status_link_grants(client, resolved):
    case, _ = resolved
    assert client.post(f"/track/{case.code}/rate", data={"rating": "1"}).status_code == 404
    assert client.post(f"/track/{case.code}/reopen", data={"reason": "พังอีก"}).status_code == 404
    # A wrong token grants nothing.
    assert client.get(f"/track/{case.code}/{'A' * 22}").status_code == 404
    assert client.post(f"/track/{case.code}/rate", data={"rating": "1"}).status_code == 404
    assert case.rating is None and case.status == Status.RESOLVED
