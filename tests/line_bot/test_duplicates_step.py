"""Before the summary, the bot shows open cases of the same problem; the resident may support one
(real SDK against the fake LINE API)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from cases.models import Case, CaseSubscriber
from cases.subscribers import support_count
from notifications.worker import worker_for
from review import services
from tests.factories import category_id, make_case, make_user
from tests.line_bot.conftest import Resident
from tests.line_bot.test_conversation import _file_until_photos


def _file_until_place(resident: Resident) -> list[str]:
    _file_until_photos(resident)
    resident.tap("ถัดไป")
    return resident.say("หมู่ 3 หน้าบ้านเลขที่ 14")


def test_line_resident_supports_the_open_case_and_gets_its_next_status_change(
    resident, line_app, line_api
):
    existing, _ = make_case(location_text="หมู่ 3 หน้าบ้านเลขที่ 12")
    shown = _file_until_place(resident)[0]
    assert "อาจเป็นปัญหาเดียวกับ" in shown and "ถนน สะพาน ทางเท้า" in shown
    assert "หมู่ 3 หน้าบ้านเลขที่ 12" in shown
    # Not the other resident's words, nor their code (the button carries it, not the text).
    assert "รถจักรยานยนต์" not in shown and existing.code not in shown
    labels = [a["label"] for a in resident.quick_replies()]
    assert labels == ["เหมือนเรื่องที่ 1", "ส่งเรื่องของฉัน", "ยกเลิก"]

    thanks = resident.tap("เหมือนเรื่องที่ 1")[0]
    assert existing.code in thanks and "ไม่ได้ส่งเรื่องใหม่" in thanks
    assert db.session.scalar(select(func.count(Case.id))) == 1
    row = db.session.scalars(select(CaseSubscriber)).one()
    assert (row.kind, row.line_user_id) == ("support", resident.user_id)
    assert support_count(existing.id) == 1

    officer = make_user(roles=("officer",))
    services.change_status(officer, existing, "accept", existing.version)
    worker = worker_for(line_app.config, db.new_session)
    worker.drain()
    worker.close()
    pushed = [
        text
        for request in line_api.requests_to("/v2/bot/message/push", status=200)
        if request.json["to"] == resident.user_id
        for text in request.texts
    ]
    assert any("ตอบรับเรื่องแล้ว" in text and "/follow/stop/" in text for text in pushed)


def test_line_resident_may_still_send_their_own_case(resident):
    make_case(location_text="หมู่ 3 หน้าบ้านเลขที่ 12")
    _file_until_place(resident)
    asked = resident.tap("ส่งเรื่องของฉัน")[0]
    assert "ยินยอมให้เผยแพร่" in asked  # then the publication step, then the summary
    assert "ตรวจสอบเรื่องของท่าน" in resident.tap("ไม่เผยแพร่")[0]
    resident.tap("ยืนยันส่ง")
    assert db.session.scalar(select(func.count(Case.id))) == 2


def test_no_duplicates_step_when_nothing_alike_is_open(resident):
    make_case(category_id=category_id("water"))
    assert "ยินยอมให้เผยแพร่" in _file_until_place(resident)[0]


def test_a_typed_answer_at_the_duplicates_step_repeats_the_question(resident):
    make_case(location_text="หมู่ 3 หน้าบ้านเลขที่ 12")
    _file_until_place(resident)
    again = resident.say("R69-000001")[0]
    assert "อาจเป็นปัญหาเดียวกับ" in again
    assert db.session.scalar(select(func.count(CaseSubscriber.id))) == 0


def test_a_case_closed_meanwhile_takes_the_resident_on_to_filing_their_own(resident):
    existing, _ = make_case(location_text="หมู่ 3 หน้าบ้านเลขที่ 12")
    _file_until_place(resident)
    closed = db.session.get(Case, existing.id)  # the requests ended the test's session
    assert closed is not None
    closed.status = "closed"
    db.session.commit()
    answer = resident.tap("เหมือนเรื่องที่ 1")
    assert "ปิดไปแล้ว" in answer[0] and "ยินยอมให้เผยแพร่" in answer[1]
