"""Integrity officers' side, and the wall between it and every other role and general view."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db
from app.outbox import Notification
from integrity.models import IntegrityReport
from tests.factories import png_bytes
from tests.integrity.conftest import ACCUSED, DETAILS, REPORTER, make_report

OK, REDIRECT, FORBIDDEN = 200, 302, 403
ROLES = (None, "officer", "supervisor", "integrity", "executive", "admin")


def _row(method: str, url: str, *expected: int) -> list[tuple[str | None, str, str, int]]:
    return [(role, method, url, status) for role, status in zip(ROLES, expected, strict=True)]


# Columns after the URL: anonymous, officer, supervisor, integrity, executive, admin.
DENIED = (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
TABLE = [
    *_row("GET", "/integrity/staff/", REDIRECT, *DENIED[:2], OK, *DENIED[:2]),
    *_row("GET", "/integrity/staff/reports/{report}", REDIRECT, *DENIED[:2], OK, *DENIED[:2]),
    *_row(
        "GET",
        "/integrity/staff/reports/{report}/evidence/{attachment}",
        REDIRECT,
        *DENIED[:2],
        OK,
        *DENIED[:2],
    ),
    *_row(
        "POST",
        "/integrity/staff/reports/{report}/status",
        REDIRECT,
        *DENIED[:2],
        REDIRECT,
        *DENIED[:2],
    ),
    *_row(
        "POST",
        "/integrity/staff/reports/{report}/message",
        REDIRECT,
        *DENIED[:2],
        REDIRECT,
        *DENIED[:2],
    ),
    *_row(
        "POST",
        "/integrity/staff/reports/{report}/note",
        REDIRECT,
        *DENIED[:2],
        REDIRECT,
        *DENIED[:2],
    ),
    *_row("GET", "/integrity/staff/new", REDIRECT, *DENIED[:2], OK, *DENIED[:2]),
    # Guessing ids that do not exist tells other roles nothing either.
    *_row("GET", "/integrity/staff/reports/99999", REDIRECT, *DENIED[:2], 404, *DENIED[:2]),
]


@pytest.mark.parametrize(("role", "method", "url", "expected"), TABLE)
def test_only_integrity_officers_reach_integrity_reports(
    app, login_as, role, method, url, expected
):
    report, _ = make_report(with_evidence=True)
    client = login_as(role) if role else app.test_client()
    target = url.format(report=report.id, attachment=report.attachments[0].id)
    data = {"action": "accept", "body": "ข้อความทดสอบ"}
    response = client.open(target, method=method, data=data if method == "POST" else None)
    body = response.get_data()
    response.close()
    assert response.status_code == expected
    if expected != OK:
        assert ACCUSED.encode() not in body and DETAILS.encode() not in body
    if expected == REDIRECT and role is None:
        assert response.headers["Location"].startswith("/staff/login")


@pytest.mark.parametrize("role", ["officer", "supervisor"])
def test_general_staff_guessing_report_ids_in_general_urls_find_nothing(login_as, role):
    report, _ = make_report(with_evidence=True)
    client = login_as(role)
    for url in (
        f"/staff/cases/{report.id}",
        f"/staff/cases/{report.id}/attachments/{report.attachments[0].id}",
        f"/track/{report.code}/x",
    ):
        assert client.get(url).status_code == 404, url
    for url in (f"/staff/cases?tab=all&q={report.code}", "/staff/cases?tab=all"):
        page = client.get(url).get_data(as_text=True)
        assert 'id="queue-empty"' in page and ACCUSED not in page  # the code is only echoed
        assert 'id="count-all">0<' in page


def test_summary_and_its_exports_never_list_integrity_content(login_as):
    report, _ = make_report()
    client = login_as("supervisor")
    for url in ("/reports/summary", "/reports/summary.csv"):
        body = client.get(url).get_data(as_text=True)
        assert report.code not in body and ACCUSED not in body and DETAILS not in body


def test_a_new_report_notifies_no_general_staff(login_as):
    login_as("officer")
    login_as("supervisor")
    make_report(news_email="reporter@example.org")
    rows = db.session.scalars(select(Notification)).all()
    assert all(row.template.startswith("integrity_") and row.context == {} for row in rows)


def test_integrity_officer_works_a_report_and_sees_who_looked(login_as):
    report, _ = make_report(with_evidence=True, anonymous=False, reporter_name=REPORTER)
    officer = login_as("integrity")
    page = officer.get(f"/integrity/staff/reports/{report.id}").get_data(as_text=True)
    assert ACCUSED in page and DETAILS in page and REPORTER in page
    assert officer.user.email in page  # the view itself is in "who looked"

    evidence = officer.get(
        f"/integrity/staff/reports/{report.id}/evidence/{report.attachments[0].id}"
    )
    assert evidence.data.startswith(b"\x89PNG")
    assert "no-store" in evidence.headers["Cache-Control"]
    assert evidence.headers["Content-Disposition"].startswith("attachment")
    evidence.close()

    url = f"/integrity/staff/reports/{report.id}"
    assert officer.post(url + "/status", data={"action": "accept"}).status_code == 302
    assert officer.post(url + "/note", data={"body": "ตรวจสอบเอกสารจัดซื้อแล้ว"}).status_code == 302
    assert officer.post(url + "/message", data={"body": "ขอเอกสารเพิ่ม"}).status_code == 302
    refused = officer.post(url + "/status", data={"action": "close"})
    assert refused.status_code == 422
    assert "กรุณาเลือกผลการดำเนินการ" in refused.get_data(as_text=True)
    closed = officer.post(url + "/status", data={"action": "close", "outcome": "referred_nacc"})
    assert closed.status_code == 302
    db.session.expire_all()
    report = db.session.get(IntegrityReport, report.id)
    assert (report.status, report.outcome) == ("closed", "referred_nacc")
    assert report.closed_at is not None and report.acknowledged_at is not None

    actions = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.target_type == "integrity_report", AuditEntry.target_id == str(report.id)
        )
    ).all()
    assert set(actions) >= {
        "integrity_report_viewed",
        "integrity_evidence_downloaded",
        "integrity_status_changed",
        "integrity_note_added",
        "integrity_message_sent",
    }
    # The note stays internal: the reporter's timeline does not have it.
    from integrity.reporter import reporter_timeline

    visible = [m.body for m in reporter_timeline(report)]
    assert "ขอเอกสารเพิ่ม" in visible and "ตรวจสอบเอกสารจัดซื้อแล้ว" not in visible


def test_integrity_officers_see_a_supervisors_refused_attempt(login_as):
    report, _ = make_report()
    other, _ = make_report()
    supervisor = login_as("supervisor")
    supervisor.get(f"/integrity/staff/reports/{report.id}")
    supervisor.get(f"/integrity/staff/reports/{other.id}/evidence/1")
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert entry.action == "access_denied" and entry.user_id == supervisor.user.id
    page = login_as("integrity").get(f"/integrity/staff/reports/{report.id}")
    who = page.get_data(as_text=True).split('id="viewers"')[1]
    assert who.count(supervisor.user.email) == 1 and "ถูกปฏิเสธการเข้าถึง" in who


def test_queue_lists_open_reports_with_tab_counts_and_finds_a_code(login_as):
    first, _ = make_report()
    second, _ = make_report(kind="budget_complaint")
    officer = login_as("integrity")
    page = officer.get("/integrity/staff/").get_data(as_text=True)
    assert first.code in page and second.code in page
    assert 'id="count-open">2<' in page
    assert ACCUSED not in page  # the list shows no content
    found = officer.get(f"/integrity/staff/?code={second.code.lower()}").get_data(as_text=True)
    assert second.code in found and first.code not in found
    budget = officer.get("/integrity/staff/?kind=budget_complaint").get_data(as_text=True)
    assert second.code in budget and first.code not in budget


def _enter_by_post(officer, files: dict[str, bytes], **fields: str):
    """An integrity officer keys in a report that came by post, with ``files`` scanned."""
    data: dict[str, object] = {"kind": "misconduct", "channel": "post", "identity": "anonymous"}
    data.update(fields)
    data["attachments"] = [(io.BytesIO(content), name) for name, content in files.items()]
    return officer.post("/integrity/staff/new", data=data, content_type="multipart/form-data")


def test_officer_records_a_report_received_by_post(login_as):
    officer = login_as("integrity")
    response = _enter_by_post(
        officer, {"letter.png": png_bytes()}, received_on="2026-11-20", details=DETAILS
    )
    assert 'id="receipt"' in response.get_data(as_text=True)
    report = db.session.scalars(select(IntegrityReport)).one()
    assert (report.channel, report.received_at.date().isoformat()) == ("post", "2026-11-20")
    assert len(report.attachments) == 1
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "integrity_report_entered")
    ).one()
    assert entry.target_id == str(report.id)


def test_officer_entry_keeps_the_accepted_file_and_names_the_refused_one(login_as):
    officer = login_as("integrity")
    response = _enter_by_post(
        officer, {"letter.png": png_bytes(), "virus.pdf": b"#!/bin/sh\nrm"}, details=DETAILS
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="receipt"' not in page
    assert "✓ letter.png" in page and "ไม่รับไฟล์ virus.pdf" in page
    assert re.search(r'class="field has-error">\s*<label for="attachments"', page)
    assert db.session.scalars(select(IntegrityReport)).first() is None


def _report_views(report: IntegrityReport) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "integrity_report_viewed",
                AuditEntry.target_id == str(report.id),
            )
        )
    )


def test_every_render_of_the_report_page_is_audited_the_422_too(login_as):
    report, _ = make_report()
    officer = login_as("integrity")
    refused = officer.post(f"/integrity/staff/reports/{report.id}/status", data={"action": "close"})
    assert refused.status_code == 422
    assert DETAILS in refused.get_data(as_text=True)
    assert [e.user_id for e in _report_views(report)] == [officer.user.id]
    assert officer.get(f"/integrity/staff/reports/{report.id}").status_code == 200
    assert len(_report_views(report)) == 2


def _stale_page_after_a_colleague_accepts(login_as) -> tuple[IntegrityReport, object, str, int]:
    """A report, a second officer still on the page from before a first one accepted it, the
    report's URL and the version that page shows."""
    report, _ = make_report()
    first, second = login_as("integrity"), login_as("integrity")
    url = f"/integrity/staff/reports/{report.id}"
    seen = report.version
    accepted = first.post(url + "/status", data={"action": "accept", "version": seen})
    assert accepted.status_code == 302
    return report, second, url, seen


def test_a_status_change_from_a_stale_page_is_refused_and_the_typed_reason_kept(login_as):
    report, second, url, seen = _stale_page_after_a_colleague_accepts(login_as)
    reason = "ไม่อยู่ในอำนาจหน้าที่ ขอส่งต่อหน่วยงานอื่น"
    form = {"action": "reject", "reason": reason, "version": seen}
    stale = second.post(url + "/status", data=form)
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "ถูกแก้ไขโดยเจ้าหน้าที่อีกท่าน" in page  # the one message of both tracks
    assert reason in page  # what they typed is kept
    db.session.expire_all()
    assert db.session.get(IntegrityReport, report.id).status == "accepted"


def test_a_note_from_a_stale_page_is_refused_and_the_text_kept(login_as):
    _report, second, url, seen = _stale_page_after_a_colleague_accepts(login_as)
    stale = second.post(url + "/note", data={"body": "บันทึกที่พิมพ์ไว้นาน", "version": seen})
    assert stale.status_code == 409
    assert "บันทึกที่พิมพ์ไว้นาน" in stale.get_data(as_text=True)


def test_officer_entry_is_one_transaction_with_its_audit_entry(app):
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from integrity import casework
    from tests.factories import make_user
    from tests.integrity.conftest import report_submission

    officer = make_user(("integrity",))
    commits: list[Session] = []

    def count(session: Session) -> None:
        commits.append(session)

    event.listen(Session, "after_commit", count)
    try:
        result = casework.enter_report(officer, report_submission(channel="post"))
    finally:
        event.remove(Session, "after_commit", count)
    assert len(commits) == 1
    entered = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "integrity_report_entered")
    ).all()
    assert [(e.target_id, e.detail) for e in entered] == [
        (str(result.report_id), {"channel": "post"})
    ]
