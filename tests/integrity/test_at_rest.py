"""A database dump alone must not tell who reported whom: raw rows hold ciphertext only."""

from __future__ import annotations

from sqlalchemy import text

from app.extensions import db
from integrity.models import IntegrityReport
from integrity.reporter import add_reporter_message, send_to_reporter
from integrity.upkeep import rotate_keys
from tests.conftest import TEST_INTEGRITY_KEY
from tests.integrity.conftest import ACCUSED, DETAILS, REPORTER, REPORTER_PHONE, make_report

SECRETS = (ACCUSED, DETAILS, REPORTER, REPORTER_PHONE, "reporter@example.org", "slip")


def _dump() -> str:
    rows = []
    for name in ("integrity_reports", "integrity_messages", "integrity_attachments"):
        rows += [repr(tuple(row)) for row in db.session.execute(text(f"SELECT * FROM {name}"))]  # noqa: S608
    return "\n".join(rows)


def test_raw_rows_reveal_no_name_contact_or_details(app):
    report, _ = make_report(
        with_evidence=True,
        anonymous=False,
        reporter_name=REPORTER,
        reporter_contact=REPORTER_PHONE,
        news_email="reporter@example.org",
    )
    add_reporter_message(report, f"เพิ่มเติม: {ACCUSED} ทำอีกแล้ว")
    send_to_reporter(report, f"ได้รับแล้ว คุณ{REPORTER}", staff_id=None)
    dump = _dump()
    assert report.code in dump  # the rows are really there
    for secret in SECRETS:
        assert secret not in dump
    assert "gAAAA" in dump  # Fernet tokens
    # ...while the application reads them back.
    db.session.expire_all()
    assert db.session.get(IntegrityReport, report.id).reporter_name == REPORTER


def test_rotate_key_re_wraps_under_the_new_first_key_and_everything_still_reads(app, runner):
    from cryptography.fernet import Fernet

    report, _ = make_report(with_evidence=True, anonymous=False, reporter_name=REPORTER)
    add_reporter_message(report, "ข้อความ")
    new_key = Fernet.generate_key().decode()
    app.config["INTEGRITY_KEY"] = f"{new_key},{TEST_INTEGRITY_KEY}"
    result = runner.invoke(args=["integrity", "rotate-key"])
    assert result.exit_code == 0, result.output
    # The body's data key is re-wrapped; its values were already under it (issue 10).
    assert "re-wrapped 1 keys; re-encrypted 0 values and 0 files" in result.output

    app.config["INTEGRITY_KEY"] = new_key  # the old key is gone
    db.session.expire_all()
    rotated = db.session.get(IntegrityReport, report.id)
    assert (rotated.reporter_name, rotated.about) == (REPORTER, ACCUSED)
    assert rotated.messages[-1].body == "ข้อความ"
    assert rotated.attachments[0].original_name == "slip.png"
    from integrity.evidence import evidence_bytes

    assert evidence_bytes(rotated.attachments[0]).startswith(b"\x89PNG")
    assert rotate_keys().keys == 1  # safe to run again
