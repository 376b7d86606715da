"""Retention: after the period since closing, content is purged and only counts remain."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from app.calendar import local_date
from app.extensions import db
from app.models import utcnow
from app.statuses import Status
from integrity.counts import counts_by
from integrity.errors import ReceiptNotAccepted
from integrity.models import IntegrityAttachment, IntegrityMessage, Outcome
from integrity.reporter import report_for_receipt, send_to_reporter
from tests.integrity.conftest import make_report


def _close(report, days_ago: int) -> None:
    report.status = Status.CLOSED
    report.outcome = Outcome.UNFOUNDED
    report.closed_at = utcnow() - timedelta(days=days_ago)
    db.session.commit()


def test_purge_removes_content_of_long_closed_reports_and_keeps_counts(app, runner):
    app.config["INTEGRITY_RETENTION_DAYS"] = 30
    old, old_result = make_report(with_evidence=True, news_email="a@example.org")
    send_to_reporter(old, "ข้อความ", staff_id=None)
    recent, _ = make_report()
    _close(old, days_ago=31)
    _close(recent, days_ago=5)
    stored = Path(app.config["UPLOAD_DIR"]) / "integrity" / old.attachments[0].stored_name
    day = local_date(old.received_at)
    before = counts_by(day, day)

    result = runner.invoke(args=["integrity", "purge"])
    assert "purged 1 reports and 1 files" in result.output
    db.session.expire_all()
    assert (old.details, old.about, old.news_email, old.content_digest) == (None, None, None, None)
    assert old.purged_at is not None
    assert not stored.exists()
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(IntegrityMessage)
            .where(IntegrityMessage.report_id == old.id)
        )
        == 0
    )
    assert db.session.scalar(select(func.count()).select_from(IntegrityAttachment)) == 0
    assert recent.details is not None
    assert counts_by(day, day) == before
    try:
        report_for_receipt(old_result.receipt.grouped)
    except ReceiptNotAccepted:
        pass
    else:
        raise AssertionError("a purged report must not open")

    again = runner.invoke(args=["integrity", "purge"])
    assert "purged 0 reports and 0 files" in again.output
