"""The reporter's way back: the receipt, messages both ways, more evidence, the proof page."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.outbox import Notification
from integrity import receipts
from integrity.errors import ReceiptNotAccepted
from integrity.reporter import report_for_receipt, send_to_reporter
from tests.factories import png_bytes
from tests.integrity.conftest import make_report

REFUSED = "รหัสติดตามไม่ถูกต้อง หรือลองหลายครั้งเกินไป"


def _open(client, receipt_text: str):
    return client.post("/integrity/follow-up", data={"receipt": receipt_text})


def test_reporter_comes_back_with_the_receipt_reads_the_officer_and_replies(client):
    report, result = make_report()
    send_to_reporter(report, "ขอทราบว่าเหตุการณ์เกิดขึ้นวันที่เท่าไร", staff_id=None)

    response = _open(client, result.receipt.grouped)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "ขอทราบว่าเหตุการณ์เกิดขึ้นวันที่เท่าไร" in page
    assert "รับเรื่องแล้ว รอตรวจสอบ" in page
    assert report.unread_by_reporter is False

    client.post("/integrity/follow-up/message", data={"body": "ประมาณวันที่ 3 ตุลาคม ช่วงบ่าย"})
    client.post(
        "/integrity/follow-up/evidence",
        data={"attachments": [(io.BytesIO(png_bytes()), "photo.png")]},
        content_type="multipart/form-data",
    )
    page = client.get("/integrity/follow-up/report").get_data(as_text=True)
    assert "ประมาณวันที่ 3 ตุลาคม ช่วงบ่าย" in page
    assert "แนบหลักฐานเพิ่ม" in page
    assert len(report.attachments) == 1
    assert [m.type for m in report.messages] == [
        "received",
        "to_reporter",
        "from_reporter",
        "evidence_added",
    ]


def test_receipt_may_be_typed_without_spaces_or_in_thai_digits(client):
    _, result = make_report()
    thai = result.receipt.digits.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert _open(client, thai).status_code == 302
    assert _open(client, result.receipt.digits).status_code == 302


def test_wrong_or_malformed_receipt_opens_nothing(client):
    _, result = make_report()
    wrong = (
        result.receipt.lookup
        + ("1" if result.receipt.secret[0] != "1" else "2")
        + (result.receipt.secret[1:])
    )
    for attempt in (wrong, "1234", "abcd " * 5, ""):
        response = _open(client, attempt)
        assert response.status_code == 200
        assert REFUSED in response.get_data(as_text=True)
    assert client.get("/integrity/follow-up/report").status_code == 302


def test_knowing_a_lookup_id_can_neither_lock_the_reporter_out_nor_tell_it_exists(app):
    report, result = make_report()
    wrong = receipts.Receipt(result.receipt.lookup, "0" * receipts.SECRET_DIGITS)
    unknown_lookup = "999999" if result.receipt.lookup != "999999" else "999998"
    unknown = receipts.Receipt(unknown_lookup, result.receipt.secret)
    for _ in range(20):
        for attempt in (wrong, unknown):
            with pytest.raises(ReceiptNotAccepted):
                report_for_receipt(attempt.digits)
    assert report_for_receipt(result.receipt.digits).id == report.id


def test_wrong_unknown_and_throttled_receipts_get_the_same_answer(app_factory):
    limited = app_factory(RATELIMIT_ENABLED=True, INTEGRITY_RECEIPT_RATE_LIMIT="2 per hour")
    with limited.app_context():
        _, result = make_report()
        wrong = result.receipt.lookup + "0" * receipts.SECRET_DIGITS
        attacker = limited.test_client()
        attacker.environ_base["REMOTE_ADDR"] = "198.51.100.7"
        answers = [_open(attacker, attempt) for attempt in (wrong, "1" * 20, wrong)]
        assert [a.status_code for a in answers] == [200, 200, 429]
        assert all(REFUSED in a.get_data(as_text=True) for a in answers)
        # Throttled means throttled, even with the right receipt, and says the same.
        throttled = _open(attacker, result.receipt.digits)
        assert throttled.status_code == 429 and REFUSED in throttled.get_data(as_text=True)
        # The reporter, on another connection, is not locked out by any of this.
        reporter = limited.test_client()
        reporter.environ_base["REMOTE_ADDR"] = "203.0.113.20"
        assert _open(reporter, result.receipt.grouped).status_code == 302


def test_integrity_rate_limits_are_counted_without_the_ip_address(app_factory):
    from app.extensions import limiter

    limited = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    with limited.app_context():
        client = limited.test_client()
        client.environ_base["REMOTE_ADDR"] = "203.0.113.45"
        _open(client, "0" * 20)
        client.post("/integrity/report", data={"kind": "misconduct", "details": "สั้น"})
        client.post("/integrity/budget", data={"kind": "budget_question", "details": "สั้น"})
        keys = list(limiter.storage.storage) + list(getattr(limiter.storage, "events", {}))
    assert any("integrity.follow_up" in key for key in keys)
    assert not [key for key in keys if "203.0.113.45" in key or "203_0_113_45" in key]


def test_the_client_key_is_a_keyed_hash_that_changes_daily(app):
    from integrity.throttle import client_key

    today = client_key("203.0.113.45", "2026-11-29")
    assert "203.0.113.45" not in today and today.startswith("client-")
    assert today == client_key("203.0.113.45", "2026-11-29")
    assert today != client_key("203.0.113.45", "2026-11-30")
    assert today != client_key("203.0.113.46", "2026-11-29")


def test_receipt_lookup_checks_one_report_not_all(app):
    """The lookup id finds the row by index: other reports' hashes are never verified."""
    reports = [make_report()[1] for _ in range(3)]
    assert len({r.receipt.lookup for r in reports}) == 3
    assert report_for_receipt(reports[1].receipt.grouped).id == reports[1].report_id


def test_leaving_forgets_the_report_in_this_browser(client):
    _, result = make_report()
    _open(client, result.receipt.grouped)
    client.post("/integrity/follow-up/leave")
    assert client.get("/integrity/follow-up/report").status_code == 302


def _session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_leaving_ends_the_session_on_the_server_so_a_copied_cookie_is_refused(app):
    report, result = make_report()
    send_to_reporter(report, "ข้อความถึงผู้แจ้ง", staff_id=None)
    reporter = app.test_client()
    _open(reporter, result.receipt.grouped)
    copied = _session_cookie(reporter)
    replay = app.test_client()
    replay.set_cookie("session", copied)
    assert "ข้อความถึงผู้แจ้ง" in replay.get("/integrity/follow-up/report").get_data(as_text=True)

    reporter.post("/integrity/follow-up/leave")
    assert report.reporter_session is None
    again = app.test_client()
    again.set_cookie("session", copied)
    for response in (
        again.get("/integrity/follow-up/report"),
        again.get("/integrity/follow-up/proof"),
        again.post("/integrity/follow-up/message", data={"body": "ข้อความปลอม"}),
    ):
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/integrity/follow-up")
    assert "ข้อความปลอม" not in [m.body for m in report.messages]


def test_opening_the_report_again_ends_the_earlier_browser_session(app):
    _, result = make_report()
    first, second = app.test_client(), app.test_client()
    _open(first, result.receipt.grouped)
    _open(second, result.receipt.grouped)
    assert first.get("/integrity/follow-up/report").status_code == 302
    assert second.get("/integrity/follow-up/report").status_code == 200


def test_opening_and_leaving_do_not_count_as_an_edit_of_the_report(app):
    report, result = make_report()
    version = report.version
    client = app.test_client()
    _open(client, result.receipt.grouped)
    client.post("/integrity/follow-up/leave")
    db.session.refresh(report)
    assert report.version == version


def test_proof_page_shows_date_organization_and_digest_but_never_the_receipt(client, app):
    report, result = make_report(with_evidence=True)
    _open(client, result.receipt.grouped)
    page = client.get("/integrity/follow-up/proof").get_data(as_text=True)
    assert result.digest in page and app.config["ORG_NAME"] in page and report.code in page
    assert result.receipt.secret not in re.sub(r"\s", "", page)


def test_news_email_says_only_that_there_is_news_and_is_sent_once_per_unread_batch(app):
    report, _ = make_report(news_email="reporter@example.org")
    send_to_reporter(report, "ข้อความแรก", staff_id=None)
    send_to_reporter(report, "ข้อความที่สอง", staff_id=None)
    rows = db.session.scalars(select(Notification)).all()
    assert len(rows) == 1
    # Only which report: the address is looked up, and decrypted, when the email is sent.
    assert (rows[0].template, rows[0].recipient, rows[0].case_id) == ("integrity_news", "", None)
    assert rows[0].context == {"report_id": report.id}
