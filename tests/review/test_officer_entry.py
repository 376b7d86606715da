"""Officer entry: stays in the staff pages, ends on a printable receipt slip, real received date."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.audit import AuditEntry
from app.calendar import BANGKOK
from app.extensions import db
from cases.models import Case, EventType
from tests.factories import category_id


def _entry(**overrides: str) -> dict[str, object]:
    values: dict[str, object] = {
        "kind": "complaint",
        "channel": "walk_in",
        "category_id": category_id("roads"),
        "subject": "ถนนลูกรังเป็นหลุมหมู่ 4",
        "details": "นายสมหมายมาแจ้งที่สำนักงานว่าถนนเป็นหลุมหลายจุด รถเล็กผ่านไม่ได้",
        "contact_name": "นายสมหมาย ขยันดี",
        "contact_phone": "0811111111",
        "privacy_acknowledged": "y",
    }
    values.update(overrides)
    return values


def test_the_form_has_no_gps_pin_and_asks_the_officer_to_confirm_the_notice(login_as):
    html = login_as("officer").get("/staff/cases/new").get_data(as_text=True)
    assert 'id="pin-location"' not in html and 'name="latitude"' not in html
    assert "เจ้าหน้าที่ได้แจ้งหรืออ่านประกาศความเป็นส่วนตัวให้ผู้ร้องทราบแล้ว" in html
    assert "ข้าพเจ้ารับทราบประกาศความเป็นส่วนตัวข้างต้น" not in html
    assert 'id="staff-menu"' in html


def test_a_spoken_case_needs_the_officers_confirmation_and_keeps_what_was_typed(login_as):
    officer = login_as("officer")
    response = officer.post("/staff/cases/new", data=_entry(privacy_acknowledged=""))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "กรุณาแจ้งประกาศความเป็นส่วนตัวให้ผู้ร้องทราบ" in html
    assert "นายสมหมายมาแจ้งที่สำนักงาน" in html
    # A letter in the post: nobody to read the notice to.
    letter = _entry(channel="post", privacy_acknowledged="", subject="หนังสือร้องเรียนถนน")
    assert officer.post("/staff/cases/new", data=letter).status_code == 302


def test_after_saving_the_officer_gets_a_printable_receipt_slip(login_as, app):
    officer = login_as("officer")
    received = date.today() - timedelta(days=3)
    response = officer.post(
        "/staff/cases/new",
        data=_entry(received_on=received.strftime("%d/%m/") + str(received.year + 543)),
    )
    case = db.session.scalars(select(Case).where(Case.subject == "ถนนลูกรังเป็นหลุมหมู่ 4")).one()
    assert response.headers["Location"] == f"/staff/cases/{case.id}/receipt"
    slip = officer.get(f"/staff/cases/{case.id}/receipt")
    html = slip.get_data(as_text=True)
    assert slip.status_code == 200 and slip.headers["Cache-Control"] == "no-store"
    assert app.config["ORG_NAME"] in html and app.config["ORG_ADDRESS"] in html
    assert f'id="slip-code">{case.code}<' in html
    assert f"{received.day} " in html and str(received.year + 543) in html
    assert "มาด้วยตนเอง" in html or "walk" in html
    assert f"/track/{case.code}/" in html  # the status link, also as a QR code
    assert 'src="data:image/svg+xml' in html
    assert "เลขรับเรื่องกับเบอร์โทรศัพท์" in html
    assert 'id="staff-menu"' in html and 'class="no-print receipt-actions"' in html
    views = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "case_viewed", AuditEntry.target_id == str(case.id)
        )
    ).all()
    assert len(views) == 1


def test_the_timeline_shows_the_day_the_case_really_arrived(login_as):
    officer = login_as("officer")
    received = date.today() - timedelta(days=5)
    officer.post(
        "/staff/cases/new",
        data=_entry(
            channel="post",
            received_on=received.strftime("%d/%m/") + str(received.year + 543),
            received_time="10:15",
        ),
    )
    case = db.session.scalars(select(Case).where(Case.subject == "ถนนลูกรังเป็นหลุมหมู่ 4")).one()
    [received_event] = [e for e in case.events if e.type == EventType.RECEIVED]
    assert received_event.created_at == datetime.combine(
        received, datetime.min.time().replace(hour=10, minute=15), BANGKOK
    )


def test_another_departments_officer_cannot_open_the_slip(login_as):
    officer = login_as("officer")
    officer.post("/staff/cases/new", data=_entry())
    case = db.session.scalars(select(Case).where(Case.subject == "ถนนลูกรังเป็นหลุมหมู่ 4")).one()
    other = login_as("officer", departments=("finance",))
    assert other.get(f"/staff/cases/{case.id}/receipt").status_code == 403
    assert login_as("executive").get(f"/staff/cases/{case.id}/receipt").status_code == 403
    assert officer.get("/staff/cases/999999/receipt").status_code == 404


def test_a_case_the_resident_filed_online_has_no_staff_slip(login_as):
    from tests.factories import make_case

    case, _ = make_case()  # on the web: the resident holds the link, staff never see it
    assert login_as("officer").get(f"/staff/cases/{case.id}/receipt").status_code == 404


def test_the_officer_records_whether_the_resident_allows_publication(login_as):
    officer = login_as("officer")
    html = officer.get("/staff/cases/new").get_data(as_text=True)
    assert "ผู้ร้องยินยอมให้เผยแพร่เรื่องนี้บนหน้าสาธารณะ" in html
    officer.post("/staff/cases/new", data=_entry(publication_allowed="y"))
    officer.post("/staff/cases/new", data=_entry(subject="ไม่ได้ถามเรื่องเผยแพร่"))
    allowed = db.session.execute(select(Case.subject, Case.publication_allowed)).all()
    assert dict(allowed) == {"ถนนลูกรังเป็นหลุมหมู่ 4": True, "ไม่ได้ถามเรื่องเผยแพร่": False}
