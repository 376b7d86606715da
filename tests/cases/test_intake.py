"""The one intake service: validation, storage, due dates, codes, outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.outbox import Notification
from app.statuses import Status
from app.tracking import CODE_PATTERN, normalise_code
from cases.errors import IntakeError
from cases.models import Attachment, CaseEvent, CaseKind, Channel
from cases.services import normalise_phone, submit_case
from tests.factories import make_case, submission


def test_web_complaint_is_stored_with_code_due_dates_and_first_event(app):
    case, result = make_case()
    assert CODE_PATTERN.match(result.code)
    assert case.code == result.code
    assert case.status == Status.RECEIVED
    assert case.department.code == "works"  # roads -> กองช่าง
    assert case.acknowledge_due > case.received_at.date() - timedelta(days=1)
    assert case.answer_due > case.acknowledge_due
    assert [e.type for e in case.events] == ["received"]
    assert case.events[0].is_public
    assert len(result.token) >= 20


def test_codes_follow_the_fiscal_year_and_increase(app):
    first, _ = make_case()
    second, _ = make_case()
    assert second.sequence == first.sequence + 1
    assert first.code[1:3] == f"{first.fiscal_year % 100:02d}"


def test_received_date_in_october_opens_the_next_fiscal_year(app):
    case, _ = make_case(channel=Channel.PHONE, received_at=datetime(2025, 10, 1, 3, 0, tzinfo=UTC))
    assert case.fiscal_year == 2569
    assert case.code.startswith("R69-")
    # 1 Oct 2025 is a Wednesday: 3 working days later is Monday 6 Oct; 15 later is Friday
    # 24 Oct, as 13 Oct (King Bhumibol memorial day) and 23 Oct (Chulalongkorn day) don't count.
    assert case.acknowledge_due == date(2025, 10, 6)
    assert case.answer_due == date(2025, 10, 24)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject": "ab"}, "subject"),
        ({"subject": "ก" * 201}, "subject"),
        ({"details": "สั้น"}, "details"),
        ({"details": "ก" * 5001}, "details"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"category_id": 999999}, "category_id"),
        ({"category_id": None}, "category_id"),
        ({"kind": "gossip"}, "kind"),
        ({"channel": "pigeon"}, "channel"),
        ({"privacy_acknowledged": False}, "privacy_acknowledged"),
        ({"latitude": 14.9}, "location_text"),
        ({"latitude": 95.0, "longitude": 102.0}, "location_text"),
        ({"channel": "phone", "received_at": datetime.now(UTC) + timedelta(days=2)}, "received_at"),
    ],
)
def test_bad_submissions_are_refused_with_a_message_per_field(app, overrides, field):
    with pytest.raises(IntakeError) as error:
        submit_case(submission(**overrides))
    assert field in error.value.field_errors
    assert str(error.value.field_errors[field])  # a readable message, not an empty key


def test_refused_submission_stores_nothing(app):
    before = db.session.scalars(select(CaseEvent)).all()
    with pytest.raises(IntakeError):
        submit_case(submission(subject=""))
    assert db.session.scalars(select(CaseEvent)).all() == before


def test_officer_entry_needs_no_privacy_tick_and_keeps_the_past_received_date(app):
    received = datetime.now(UTC) - timedelta(days=3)
    case, _ = make_case(channel=Channel.WALK_IN, privacy_acknowledged=False, received_at=received)
    assert case.channel == "walk_in"
    assert case.received_at == received
    assert case.privacy_notice_version == ""


def test_contact_details_are_normalised(app):
    case, _ = make_case(
        contact_phone="+66 81-234-5678",
        contact_email="Somchai@Example.COM ",
        contact_name="  สมชาย   ใจดี ",
    )
    assert case.contact_phone == "0812345678"
    assert case.contact_email == "Somchai@example.com"
    assert case.contact_name == "สมชาย ใจดี"


def test_receipt_is_queued_for_email_and_line_but_not_for_phone_only(app):
    with_channels, _ = make_case(contact_email="a@example.com", line_user_id="U" + "a" * 32)
    phone_only, _ = make_case()
    queued = db.session.scalars(
        select(Notification).where(Notification.case_id == with_channels.id)
    )
    assert sorted(n.channel for n in queued) == ["email", "line"]
    assert (
        db.session.scalars(select(Notification).where(Notification.case_id == phone_only.id)).all()
        == []
    )


def test_staged_attachments_are_attached_at_submission(app):
    case, _ = make_case(with_attachment=True)
    assert len(case.attachments) == 1
    attachment = case.attachments[0]
    assert attachment.staging_token is None
    assert attachment.content_type == "image/png"
    assert db.session.scalars(select(Attachment).where(Attachment.case_id.is_(None))).all() == []


def test_feedback_kinds_use_the_same_service(app):
    case, _ = make_case(kind=CaseKind.QUESTION, category="welfare")
    assert case.kind == "question"
    assert case.department.code == "office"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("r70-000123", "R70-000123"),
        (" R70 000123 ", "R70-000123"),
        ("R70000123", "R70-000123"),
        ("R70–000123", "R70-000123"),
    ],
)
def test_tracking_codes_are_normalised_as_people_type_them(raw, expected):
    assert normalise_code(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"), [("081-234-5678", "0812345678"), ("+66812345678", "0812345678"), ("", "")]
)
def test_phone_numbers_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


def test_officer_entry_is_one_transaction_with_the_note_and_audit_entry(app):
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from app.audit import AuditEntry
    from tests.factories import make_user

    officer = make_user(("officer",))
    commits: list[Session] = []

    def count(session: Session) -> None:
        commits.append(session)

    event.listen(Session, "after_commit", count)
    try:
        result = submit_case(submission(channel=Channel.PHONE), entered_by=officer)
    finally:
        event.remove(Session, "after_commit", count)
    assert len(commits) == 1
    events = db.session.scalars(select(CaseEvent).where(CaseEvent.case_id == result.case_id)).all()
    assert [(e.type, e.author_id) for e in events] == [("received", None), ("note", officer.id)]
    audited = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.target_id == str(result.case_id))
    ).all()
    assert "case_entered" in audited


def test_a_refused_officer_entry_leaves_no_note_and_no_audit_entry(app):
    from app.audit import AuditEntry
    from tests.factories import make_user

    officer = make_user(("officer",))
    with pytest.raises(IntakeError):
        submit_case(submission(subject=""), entered_by=officer)
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "case_entered")) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("๐๘๑๒๓๔๕๖๗๘", "0812345678"), ("๐๘๑-๒๓๔-๕๖๗๘", "0812345678"), ("+๖๖๘๑๒๓๔๕๖๗๘", "0812345678")],
)
def test_phone_numbers_typed_in_thai_digits_are_accepted(raw, expected):
    assert normalise_phone(raw) == expected


def test_a_case_filed_with_a_thai_digit_phone_is_found_with_either_digits(app):
    from cases.services import case_for_code_and_phone

    result = submit_case(submission(contact_phone="๐๘๙-๑๒๓-๔๕๖๗"))
    assert case_for_code_and_phone(result.code, "0891234567").id == result.case_id
    assert case_for_code_and_phone(result.code, "๐๘๙๑๒๓๔๕๖๗").id == result.case_id
