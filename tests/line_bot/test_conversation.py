"""Residents file and follow cases by chatting (real SDK against the fake LINE API)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import utcnow
from app.outbox import Notification
from cases.models import Attachment, Case, Channel
from tests.factories import THAI_DETAILS, png_bytes
from tests.line_bot.conftest import PUBLIC, Resident, conversation_of

ADDRESS = "ตำบลจอหอ อำเภอเมืองนครราชสีมา จังหวัดนครราชสีมา"


def _file_until_photos(resident: Resident) -> None:
    resident.send("follow")
    resident.tap("แจ้งเรื่อง")
    resident.tap("ยอมรับ")
    resident.tap("ร้องเรียน")
    resident.tap("ถนน สะพาน ทางเท้า")
    resident.say(THAI_DETAILS)


def test_resident_files_a_case_with_photo_and_location_and_gets_the_code(resident, line_api):
    greeting = resident.send("follow")
    assert "ยินดีต้อนรับ" in greeting[0]
    assert [a["label"] for a in resident.quick_replies()][:2] == ["แจ้งเรื่อง", "เรื่องของฉัน"]

    notice = resident.tap("แจ้งเรื่อง")
    assert "PDPA" in notice[0]
    assert "ร้องเรียน" in [a["label"] for a in resident.tap("ยอมรับ") and resident.quick_replies()]
    categories = [a["label"] for a in resident.tap("ร้องเรียน") and resident.quick_replies()]
    assert "ถนน สะพาน ทางเท้า" in categories and categories[-1] == "ยกเลิก"
    assert "รายละเอียด" in resident.tap("ถนน สะพาน ทางเท้า")[0]
    assert "รูป" in resident.say(THAI_DETAILS)[0]
    assert {"camera", "cameraRoll"} <= {a["type"] for a in resident.quick_replies()}

    line_api.add_content("533002", png_bytes((40, 30)), "image/png")
    assert "รูปที่ 1" in resident.send("image", id="533002")[0]
    assert "ตำแหน่ง" in resident.tap("ถัดไป")[0]
    assert "location" in {a["type"] for a in resident.quick_replies()}
    assert "เผยแพร่" in resident.send("location")[0]
    assert [a["label"] for a in resident.quick_replies()] == ["ไม่เผยแพร่", "เผยแพร่ได้", "ยกเลิก"]
    summary = resident.tap("เผยแพร่ได้")[0]
    assert "รูปแนบ: 1 รูป" in summary and ADDRESS in summary
    assert "เผยแพร่บนหน้าสาธารณะ: เผยแพร่ได้" in summary

    receipt = resident.tap("ยืนยันส่ง")[0]

    case = db.session.scalars(select(Case)).one()
    assert case.channel == Channel.LINE
    assert case.line_user_id == resident.user_id
    assert case.details == THAI_DETAILS
    assert case.subject.startswith("ถนนหน้าบ้าน")
    assert (case.latitude, case.longitude, case.location_text) == (15.0417, 102.1362, ADDRESS)
    assert case.privacy_notice_version
    assert case.publication_allowed is True
    assert db.session.scalar(select(Attachment.case_id)) == case.id
    assert case.code in receipt
    assert f"{PUBLIC}/track/{case.code}/" in receipt
    # The reply carried the receipt: the outbox does not push it a second time.
    receipts = db.session.scalars(select(Notification).where(Notification.channel == "line")).all()
    assert [r.status for r in receipts] == ["sent"]
    # Each answer used its event's reply token; no push was needed.
    assert line_api.requests_to("/v2/bot/message/push") == []
    assert line_api.requests_to("/v2/bot/chat/loading/start")


def test_my_cases_lists_this_line_users_cases_and_a_typed_code_shows_status(resident, line_api):
    _file_until_photos(resident)
    resident.tap("ถัดไป")
    resident.tap("ข้าม")
    resident.tap("ไม่เผยแพร่")
    resident.tap("ยืนยันส่ง")
    case = db.session.scalars(select(Case)).one()
    assert case.publication_allowed is False  # not public unless the resident says so

    listing = resident.tap("เรื่องของฉัน")[0]
    assert case.code in listing and "รับเรื่องแล้ว" in listing
    status = resident.say(f"ขอดูเรื่อง {case.code.lower()} ค่ะ")[0]
    assert case.code in status and f"/track/{case.code}/" in status

    stranger = Resident(resident.client.application, line_api, user_id="U" + "9" * 32)
    assert "ไม่พบ" in stranger.say(case.code)[0]
    assert "ยังไม่มีเรื่อง" in stranger.send("postback", postback_data="action=status")[0]


def test_cancel_works_at_any_step_and_nothing_is_filed(resident):
    _file_until_photos(resident)
    assert "ยกเลิกแล้ว" in resident.say("ยกเลิก")[0]
    assert db.session.scalars(select(Case)).all() == []
    row = conversation_of(resident.user_id)
    assert (row.step, row.draft) == ("idle", {})


def test_text_during_an_expired_conversation_offers_resume_or_start_over(resident):
    _file_until_photos(resident)
    row = conversation_of(resident.user_id)
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    answer = resident.say("ถนนยังไม่ได้ซ่อมเลย")
    assert "หมดเวลา" in answer[0]
    assert [a["label"] for a in resident.quick_replies()] == ["ทำต่อ", "เริ่มใหม่", "ยกเลิก"]
    resumed = resident.tap("ทำต่อ")
    assert "ทำต่อ" in resumed[0] and "รูป" in resumed[1]
    resident.tap("ถัดไป")
    resident.tap("ข้าม")
    resident.tap("ไม่เผยแพร่")
    resident.tap("ยืนยันส่ง")
    assert db.session.scalars(select(Case.details)).one() == THAI_DETAILS


def test_start_over_after_expiry_asks_for_the_kind_again(resident):
    _file_until_photos(resident)
    conversation_of(resident.user_id).expires_at = utcnow()
    db.session.commit()
    resident.say("สวัสดี")
    assert "ประเภท" in resident.tap("เริ่มใหม่")[0]
    assert conversation_of(resident.user_id).draft == {}


def test_image_over_the_size_limit_gets_a_kind_message_and_the_draft_is_kept(
    app_factory, line_settings, line_api
):
    app = app_factory(MAX_UPLOAD_MB=1, **line_settings)
    with app.app_context():
        resident = Resident(app, line_api)
        _file_until_photos(resident)
        line_api.add_content("533002", b"\xff\xd8\xff" + b"0" * (1024**2 + 10), "image/jpeg")
        answer = resident.send("image", id="533002")[0]
        assert "ใหญ่เกิน 1 MB" in answer and "ยังอยู่ครบ" in answer
        assert db.session.scalars(select(Attachment)).all() == []
        assert conversation_of(resident.user_id).draft["details"] == THAI_DETAILS


def test_unexpected_inputs_get_a_short_kind_help_reply(resident):
    for name in ("sticker", "video"):
        answer = resident.send(name)
        assert answer and "ยังไม่เข้าใจ" in answer[0]
    assert "ยังไม่ได้เริ่มแจ้งเรื่อง" in resident.send("image")[0]


def test_corruption_is_sent_to_the_separate_channel_and_never_taken_in_chat(resident):
    answer = resident.tap("แจ้งทุจริต") if resident.send("follow") else []
    assert f"{PUBLIC}/integrity/" in answer[0]

    _file_until_photos(resident)  # restart a report, then describe a bribe
    resident.say("ยกเลิก")
    resident.tap("แจ้งเรื่อง")
    resident.tap("ร้องเรียน")
    resident.tap("ถนน สะพาน ทางเท้า")
    assert "ทุจริต" in resident.say("เจ้าหน้าที่เรียกรับเงินใต้โต๊ะตอนขออนุญาตก่อสร้าง")[0]
    assert f"{PUBLIC}/integrity/" in resident.tap("ใช่ เรื่องทุจริต")[0]
    row = conversation_of(resident.user_id)
    assert (row.step, row.draft) == ("idle", {})
    assert db.session.scalars(select(Case)).all() == []


def test_every_step_has_its_question_and_its_handler_in_the_one_table():
    from line_bot.conversation import STEPS
    from line_bot.models import Step

    assert set(STEPS) == set(Step)


def test_quick_reply_labels_fit_line_and_are_never_cut_inside_a_word(resident):
    from cases.seed import CATEGORIES

    resident.send("follow")
    notice = resident.tap("แจ้งเรื่อง")[0]
    assert "เก็บไว้ไม่เกิน 5 ปีหลังปิดเรื่อง" in notice  # in years, as the web form says
    resident.tap("ยอมรับ")
    resident.tap("ร้องเรียน")
    labels = [a["label"] for a in resident.quick_replies()]
    assert all(len(label) <= 20 for label in labels)
    assert "ไฟฟ้าส่องสว่าง" in labels  # "ไฟฟ้าส่องสว่าง ไฟฟ้าสาธารณะ": whole words kept
    assert "ท่อระบายน้ำ" in labels and "เสียงดัง กลิ่น" in labels
    names = {name for _code, name, *_rest in CATEGORIES}
    for label in labels[:-1]:  # the last one is "ยกเลิก"
        whole_words = label in names or any(n.startswith(label + " ") for n in names)
        assert whole_words or label.endswith("…"), label


def test_a_label_without_spaces_is_cut_between_thai_words():
    from line_bot.messages import _fit

    assert _fit("การให้บริการของเจ้าหน้าที่") in ("การให้บริการของ…", "การให้บริการ…")
    assert _fit("ร้องเรียน") == "ร้องเรียน"
    assert len(_fit("ก" * 40)) <= 20
