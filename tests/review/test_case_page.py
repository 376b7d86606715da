"""The case page's moves, photos and map links, the seeded reply templates and the queue's dates."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db
from cases.models import Status
from review import reference, services
from review.models import ReplyTemplate
from tests.factories import assert_photo_shown_inline, make_case

SEEDED_TEMPLATES = {
    "ตอบรับเรื่อง": "accept",
    "อยู่ระหว่างดำเนินการ": "start",
    "ดำเนินการแล้วเสร็จ": "resolve",
    "ไม่รับเรื่อง": "reject",
    "ส่งต่อหน่วยงานอื่น": "forward",
    "ตอบข้อสอบถาม": "resolve",
}


def _move_buttons(html: str) -> list[str]:
    return re.findall(r'<button type="submit" name="action" value="(\w+)"', html)


def test_the_moves_the_workflow_allows_now_are_visible_buttons(login_as):
    officer = login_as("officer")
    case, _ = make_case()
    html = officer.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert _move_buttons(html) == ["accept", "start", "reject", "forward"]
    assert "<details" not in html
    officer.post(
        f"/staff/cases/{case.id}/status",
        data={"action": "start", "version": case.version, "reason": "ช่างออกตรวจแล้ว"},
    )
    html = officer.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert _move_buttons(html) == ["resolve", "reject", "forward"]
    supervisor = login_as("supervisor")
    officer.post(
        f"/staff/cases/{case.id}/status",
        data={"action": "resolve", "version": case.version},
    )
    html = supervisor.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert _move_buttons(html) == ["close", "reopen"]


def test_a_move_that_needs_a_reason_keeps_the_typed_agency_when_refused(login_as):
    officer = login_as("officer")
    case, _ = make_case()
    response = officer.post(
        f"/staff/cases/{case.id}/status",
        data={"action": "reject", "version": case.version, "reason": "  "},
    )
    assert response.status_code == 422
    assert "กรุณาระบุเหตุผลที่ไม่รับเรื่อง" in response.get_data(as_text=True)
    response = officer.post(
        f"/staff/cases/{case.id}/status",
        data={"action": "forward", "version": case.version, "reason": "ไม่ใช่งานของ อบต."},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "ไม่ใช่งานของ อบต.</textarea>" in html
    db.session.refresh(case)
    assert case.status == Status.RECEIVED


def test_the_thai_templates_are_seeded_each_tied_to_its_move(app):
    rows = db.session.scalars(select(ReplyTemplate)).all()
    assert {t.title: t.action for t in rows if t.title in SEEDED_TEMPLATES} == SEEDED_TEMPLATES


def test_a_moves_templates_are_offered_first_and_fill_the_text_to_edit(login_as):
    officer = login_as("officer")
    case, _ = make_case()
    html = officer.get(f"/staff/cases/{case.id}?move=reject").get_data(as_text=True)
    move_section = html.split('id="move"', 1)[1].split("</section>", 1)[0]
    offered = re.findall(r'class="chip" href="[^"]*move=(\w+)', move_section)
    assert offered[0] == "reject" and set(offered) == {"accept", "start", "reject", "forward"}
    reject = db.session.scalars(select(ReplyTemplate).where(ReplyTemplate.action == "reject")).one()
    html = officer.get(f"/staff/cases/{case.id}?move=reject&template={reject.id}").get_data(
        as_text=True
    )
    assert f">{reject.body}</textarea>" in html  # in the move's text, editable
    assert 'value="reject" class="button primary"' in html
    assert re.search(r'id="reply-body"[^>]*>\s*</textarea>', html)  # the reply box stays empty


def test_admin_ties_a_template_to_a_move_and_an_unknown_move_is_refused(login_as):
    admin = login_as("admin")
    admin.post(
        "/staff/admin/reply-templates",
        data={"title": "ปิดเรื่องแล้ว", "body": "ขอบคุณที่แจ้ง", "action": "close", "active": "y"},
    )
    saved = db.session.scalars(select(ReplyTemplate).where(ReplyTemplate.title == "ปิดเรื่องแล้ว"))
    assert saved.one().action == "close"
    response = admin.post(
        "/staff/admin/reply-templates",
        data={"title": "แปลก", "body": "ข้อความ", "action": "explode", "active": "y"},
    )
    assert response.status_code == 200 and "ไม่พบการดำเนินการนี้" in response.get_data(as_text=True)
    assert (
        db.session.scalars(select(ReplyTemplate).where(ReplyTemplate.title == "แปลก")).first()
        is None
    )


def test_templates_for_move_puts_the_moves_own_first_then_general_ones(app):
    general = reference.save_reply_template(None, "ทั่วไป", "ข้อความ", 0, True)
    ordered = reference.templates_for_move(reference.reply_templates(), "forward")
    assert ordered[0].action == "forward"
    assert ordered.index(general) < min(
        i for i, t in enumerate(ordered) if t.action not in (None, "forward")
    )


def test_photos_are_thumbnails_shown_inline_with_the_same_checks_and_audit(login_as):
    officer = login_as("officer")
    case, _ = make_case(with_attachment=True)
    photo = case.attachments[0]
    html = officer.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    view = f"/staff/cases/{case.id}/attachments/{photo.id}?view=1"
    assert f'<img src="{view}"' in html
    assert_photo_shown_inline(officer, view)
    downloads = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "attachment_downloaded")
    ).all()
    assert [e.target_id for e in downloads] == [str(case.id)]
    assert login_as("officer", departments=("finance",)).get(view).status_code == 403


def test_a_pdf_is_never_shown_inline(login_as, app):
    case, _ = make_case(with_pdf=True)
    pdf = case.attachments[0]
    response = login_as("officer").get(f"/staff/cases/{case.id}/attachments/{pdf.id}?view=1")
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()


def test_the_place_opens_in_the_phones_map_app(login_as):
    officer = login_as("officer")
    case, _ = make_case(latitude=14.9799, longitude=102.0977)
    html = officer.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    assert "https://www.google.com/maps/search/?api=1&amp;query=14.979900,102.097700" in html
    assert 'href="geo:14.979900,102.097700?q=14.979900,102.097700"' in html
    without, _ = make_case()
    assert 'id="map-link"' not in officer.get(f"/staff/cases/{without.id}").get_data(as_text=True)


def test_the_queue_shows_both_due_dates_and_flags_the_overdue(login_as):
    officer = login_as("officer")
    late, _ = make_case(subject="ท่อแตกนานแล้ว")
    late.acknowledge_due = late.answer_due = late.received_at.date().replace(year=2020)
    db.session.commit()
    on_time, _ = make_case(subject="ถนนเป็นหลุม")
    html = officer.get("/staff/cases").get_data(as_text=True)
    rows = {
        code: row
        for row in html.split('<tr class="case-row')[1:]
        for code in (late.code, on_time.code)
        if code in row
    }
    assert 'class="acknowledge-due"' in rows[late.code] and 'class="answer-due"' in rows[late.code]
    assert rows[late.code].startswith(" overdue") and "⚑" in rows[late.code]
    assert "⚑" not in rows[on_time.code]


def test_the_case_page_lists_who_looked_in_words(login_as):
    first = login_as("officer")
    second = login_as("officer")
    case, _ = make_case()
    first.get(f"/staff/cases/{case.id}")
    services.change_status(first.user, case, "accept", case.version)
    html = second.get(f"/staff/cases/{case.id}").get_data(as_text=True)
    who = html.split('id="viewers"')[1].split("</table>")[0]
    assert first.user.email in who and second.user.email in who
    assert "เปิดดูเรื่อง" in who and "ตอบรับเรื่อง: จาก" in who
    assert "case_viewed" not in who
