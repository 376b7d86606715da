"""The integrity track's "there is news" email: the outbox never holds the reporter's address.

A database dump must not show who reported, so these tests read the ``notifications`` table as
raw SQL text (what a dump holds), not through the ORM.
"""

from __future__ import annotations

from cryptography.fernet import Fernet
from sqlalchemy import text

from app.extensions import db
from app.outbox import NotificationStatus
from integrity.reporter import send_to_reporter
from integrity.upkeep import purge_expired
from tests.conftest import TEST_INTEGRITY_KEY
from tests.integrity.conftest import ACCUSED, DETAILS, make_report

ADDRESS = "Reporter.Secret@example.org"
OFFICER_MESSAGE = "ขอทราบชื่อพยานที่อยู่ในเหตุการณ์"


def outbox_dump() -> str:
    """Every row of the outbox as text, the way a database dump shows it."""
    rows = db.session.execute(text("SELECT * FROM notifications ORDER BY id")).all()
    return "\n".join(repr(tuple(row)) for row in rows)


def news_row() -> dict:
    [row] = db.session.execute(
        text("SELECT * FROM notifications WHERE template = 'integrity_news'")
    ).all()
    return dict(row._mapping)


def assert_no_address() -> None:
    dump = outbox_dump()
    assert "integrity_news" in dump  # the row is really there
    assert ADDRESS.lower() not in dump.lower()
    assert "example.org" not in dump


def queue_news():
    report, result = make_report(news_email=ADDRESS)
    send_to_reporter(report, OFFICER_MESSAGE, staff_id=None)
    return report, result


def test_news_email_reaches_the_reporter_while_the_outbox_never_holds_the_address(
    mail_app, smtp_server, worker_factory
):
    report, result = queue_news()
    assert_no_address()
    pending = news_row()
    assert (pending["status"], pending["recipient"]) == (NotificationStatus.PENDING, "")

    assert worker_factory(mail_app).drain().sent == 1

    [email] = smtp_server.to(ADDRESS)
    assert_no_address()
    sent = news_row()
    assert (sent["status"], sent["recipient"]) == (NotificationStatus.SENT, "")
    assert "report_id" not in str(sent["context"])  # the reference goes once delivered
    # The email says only that there is news: nothing of the report, nothing to open it with.
    content = f"{email['Subject']}\n{email.get_content()}"
    assert "มีความคืบหน้าเรื่องที่ท่านแจ้ง" in content
    for secret in (report.code, ACCUSED, DETAILS, OFFICER_MESSAGE, result.receipt.digits):
        assert secret not in content
    assert result.receipt.grouped not in content
    assert "/integrity/" not in content


def test_refused_news_email_dies_without_leaving_the_address_in_the_error(
    mail_app, smtp_server, worker_factory
):
    queue_news()
    # Mail servers quote the address in their refusals.
    smtp_server.refuse = [f"550 5.1.1 <{ADDRESS}>: mailbox unavailable"]

    assert worker_factory(mail_app).drain().dead == 1

    assert_no_address()
    dead = news_row()
    assert (dead["status"], dead["recipient"]) == (NotificationStatus.DEAD, "")
    assert "550" in dead["last_error"] and "<recipient>" in dead["last_error"]
    assert "report_id" not in str(dead["context"])


def test_news_email_retried_after_a_temporary_refusal_keeps_only_the_reference(
    mail_app, smtp_server, worker_factory, clock
):
    report, _ = queue_news()
    smtp_server.refuse = [f"451 4.2.0 <{ADDRESS}>: greylisted, try again"]
    worker = worker_factory(mail_app)

    assert worker.drain().retrying == 1
    assert_no_address()
    waiting = news_row()
    assert waiting["status"] == NotificationStatus.PENDING
    assert str(report.id) in str(waiting["context"])  # still knows which report to ask

    clock.advance(seconds=mail_app.config["NOTIFY_RETRY_SECONDS"] + 1)
    assert worker.drain().sent == 1
    assert len(smtp_server.to(ADDRESS)) == 1
    assert_no_address()


def test_news_of_a_purged_report_is_not_sent_anywhere(mail_app, smtp_server, worker_factory):
    report, _ = queue_news()
    report.status, report.closed_at = "closed", report.received_at
    db.session.commit()
    mail_app.config["INTEGRITY_RETENTION_DAYS"] = 0
    purge_expired()

    assert worker_factory(mail_app).drain().dead == 1

    assert smtp_server.messages == []
    dead = news_row()
    assert (dead["status"], dead["last_error"]) == (
        NotificationStatus.DEAD,
        "the recipient is no longer known",
    )


def test_news_queued_before_a_key_rotation_still_reaches_the_reporter(
    mail_app, smtp_server, worker_factory
):
    queue_news()
    new_key = Fernet.generate_key().decode()
    mail_app.config["INTEGRITY_KEY"] = f"{new_key},{TEST_INTEGRITY_KEY}"
    rotated = mail_app.test_cli_runner().invoke(args=["integrity", "rotate-key"])
    assert rotated.exit_code == 0, rotated.output
    mail_app.config["INTEGRITY_KEY"] = new_key  # the old key is gone
    db.session.expire_all()

    assert worker_factory(mail_app).drain().sent == 1

    assert len(smtp_server.to(ADDRESS)) == 1
    assert_no_address()


def test_a_thai_address_quoted_in_an_smtp_reply_is_found_and_removed():
    from notifications.recipients import redact
    from notifications.senders import smtp_reply_text

    thai = "ผู้แจ้ง@ตัวอย่าง.ไทย"
    reply = f"<{thai}>: mailbox unavailable".encode()
    assert redact(f"SMTP 550: {smtp_reply_text(reply)}", thai) == (
        "SMTP 550: <<recipient>>: mailbox unavailable"
    )
    assert smtp_reply_text("plain text") == "plain text"
