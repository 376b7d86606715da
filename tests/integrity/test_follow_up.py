"""The reporter's way back: the receipt, messages both ways, more evidence, the proof page."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from integrity import receipts
from integrity.errors import ReceiptLocked, ReceiptNotAccepted
from integrity.services import (
    MAX_RECEIPT_FAILURES,
    report_for_receipt,
    send_to_reporter,
)
from notifications.models import Notification
from tests.factories import png_bytes
from tests.integrity.conftest import make_report


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
        assert "รหัสติดตามไม่ถูกต้อง" in response.get_data(as_text=True)
    assert client.get("/integrity/follow-up/report").status_code == 302


def test_report_locks_after_repeated_wrong_secrets_for_its_lookup_id(app):
    report, result = make_report()
    wrong = receipts.Receipt(result.receipt.lookup, "0" * receipts.SECRET_DIGITS)
    for _ in range(MAX_RECEIPT_FAILURES):
        with pytest.raises(ReceiptNotAccepted):
            report_for_receipt(wrong.digits)
    with pytest.raises(ReceiptLocked):
        report_for_receipt(result.receipt.digits)
    assert report.locked_until is not None


def test_receipt_attempts_are_rate_limited(app_factory):
    limited = app_factory(RATELIMIT_ENABLED=True, INTEGRITY_RECEIPT_RATE_LIMIT="3 per hour")
    with limited.app_context():
        client = limited.test_client()
        codes = [_open(client, "0" * 20).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


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
