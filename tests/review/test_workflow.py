"""The case workflow through the review services: every legal and illegal transition."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db
from app.models import utcnow
from app.outbox import Notification
from app.statuses import Status
from app.workflow import (
    ConcurrentChange,
    IllegalTransition,
    MissingTransitionField,
    TransitionNotPermitted,
)
from cases.models import CaseEvent, EventType
from review import access, services
from review.errors import CaseNotVisible, InvalidChange
from review.workflow import CASE_WORKFLOW, STAFF_ACTIONS
from tests.factories import make_case, make_user

LEGAL = {
    ("accept", Status.RECEIVED): Status.ACCEPTED,
    ("start", Status.RECEIVED): Status.IN_PROGRESS,
    ("start", Status.ACCEPTED): Status.IN_PROGRESS,
    ("resolve", Status.ACCEPTED): Status.RESOLVED,
    ("resolve", Status.IN_PROGRESS): Status.RESOLVED,
    ("close", Status.RESOLVED): Status.CLOSED,
    **{
        ("reject", s): Status.REJECTED
        for s in (Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS)
    },
    **{
        ("forward", s): Status.FORWARDED
        for s in (Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS)
    },
    **{
        ("reopen", s): Status.IN_PROGRESS
        for s in (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.FORWARDED)
    },
}
FIELDS = {"reason": "นอกอำนาจหน้าที่ของ อบต.", "agency": "การไฟฟ้าส่วนภูมิภาค"}


@pytest.fixture
def supervisor(app):
    return make_user(roles=("supervisor", "officer"))


@pytest.fixture
def officer(app):
    return make_user(roles=("officer",))


def test_the_table_is_exactly_the_documented_workflow():
    table = {
        (t.action, source): t.target
        for t in CASE_WORKFLOW.transitions.values()
        if t.action in STAFF_ACTIONS
        for source in t.sources
    }
    assert table == LEGAL


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_every_transition_is_legal_or_refused(supervisor, status, action):
    case, _ = make_case()
    case.status = status
    db.session.commit()
    expected = LEGAL.get((action, status))
    if expected is None:
        with pytest.raises(IllegalTransition):
            services.change_status(supervisor, case, action, case.version, **FIELDS)
        assert case.status == status
        return
    applied = services.change_status(supervisor, case, action, case.version, **FIELDS)
    assert case.status == expected == applied.to_status
    event = case.events[-1]
    assert (event.from_status, event.to_status, event.author_id) == (
        status,
        expected,
        supervisor.id,
    )
    assert event.is_public
    assert db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "case_status_changed", AuditEntry.target_id == str(case.id)
        )
    )


def test_status_changes_are_stamped_and_sent_to_the_resident(officer):
    case, _ = make_case(contact_email="resident@example.com")
    services.change_status(officer, case, "accept", case.version)
    assert case.acknowledged_at is not None
    services.change_status(officer, case, "resolve", case.version)
    assert case.resolved_at is not None
    messages = db.session.scalars(
        select(Notification).where(
            Notification.case_id == case.id, Notification.template == "case_status_changed"
        )
    ).all()
    assert [m.context["status"] for m in messages] == ["accepted", "resolved"]


def test_reject_needs_a_reason_and_forward_an_agency(officer):
    case, _ = make_case()
    with pytest.raises(MissingTransitionField):
        services.change_status(officer, case, "reject", case.version, reason=" ")
    with pytest.raises(MissingTransitionField):
        services.change_status(officer, case, "forward", case.version, reason="เหตุผล")
    assert case.status == Status.RECEIVED
    services.change_status(officer, case, "forward", case.version, agency="กฟภ.")
    assert "กฟภ." in case.events[-1].body


def test_only_supervisors_reopen(officer, supervisor):
    case, _ = make_case()
    services.change_status(officer, case, "reject", case.version, reason="ข้อมูลไม่พอ")
    with pytest.raises(TransitionNotPermitted):
        services.change_status(officer, case, "reopen", case.version, reason="มีข้อมูลใหม่")
    services.change_status(supervisor, case, "reopen", case.version, reason="มีข้อมูลใหม่")
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1
    assert case.closed_at is None


def test_officers_work_only_their_departments_cases(officer):
    water, _ = make_case(category="water")  # กองช่าง (works)
    waste, _ = make_case(category="waste")  # กองสาธารณสุข (health)
    services.change_status(officer, water, "accept", water.version)
    with pytest.raises(CaseNotVisible):
        services.change_status(officer, waste, "accept", waste.version)
    with pytest.raises(CaseNotVisible):
        access.case_for_staff(officer, waste.id)
    executive = make_user(roles=("executive",))
    with pytest.raises(CaseNotVisible):
        access.case_for_staff(executive, water.id)


def test_a_stale_version_is_refused_and_nothing_is_written(officer):
    case, _ = make_case()
    seen = case.version
    services.reply(officer, case, "กำลังตรวจสอบครับ", seen)
    with pytest.raises(ConcurrentChange):
        services.change_status(officer, case, "reject", seen, reason="ซ้ำ")
    assert case.status == Status.RECEIVED


def test_two_sessions_writing_at_once_cannot_overwrite_each_other(app, officer):
    """Both load version N; the first commit wins, the second gets ConcurrentChange."""
    case, _ = make_case()
    other = db.new_session()
    try:
        theirs = other.get(type(case), case.id)
        theirs.subject = "แก้ไขโดยอีกคน"
        mine_version = case.version
        other.commit()  # the colleague saves first (same version as we saw)
        with pytest.raises(ConcurrentChange):
            services.change_status(officer, case, "accept", mine_version)
    finally:
        other.close()
    db.session.expire_all()
    assert case.status == Status.RECEIVED


def test_replies_are_public_and_queued_notes_are_private(officer):
    case, _ = make_case(contact_email="resident@example.com", line_user_id="U" + "a" * 32)
    services.reply(officer, case, "ช่างจะเข้าไปซ่อมพรุ่งนี้", case.version)
    services.add_note(officer, case, "ผู้ร้องเคยแจ้งเรื่องนี้แล้ว", case.version)
    reply, note = case.events[-2:]
    assert (reply.type, reply.is_public, note.type, note.is_public) == (
        EventType.REPLY,
        True,
        EventType.NOTE,
        False,
    )
    queued = db.session.scalars(
        select(Notification).where(Notification.template == "case_reply")
    ).all()
    assert {n.channel for n in queued} == {"line", "email"}
    assert all(n.context["body"] == "ช่างจะเข้าไปซ่อมพรุ่งนี้" for n in queued)
    with pytest.raises(InvalidChange):
        services.reply(officer, case, "   ", case.version)


def test_assign_within_department_and_supervisors_move_departments(officer, supervisor):
    colleague = make_user(roles=("officer",), display_name="ช่างสมปอง")
    outsider = make_user(roles=("officer",), departments=("finance",))
    case, _ = make_case()
    services.assign(officer, case, case.department_id, colleague.id, case.version)
    assert case.assigned_to_id == colleague.id
    with pytest.raises(InvalidChange):
        services.assign(officer, case, case.department_id, outsider.id, case.version)
    finance_id = outsider.departments[0].id
    with pytest.raises(CaseNotVisible):
        services.assign(officer, case, finance_id, None, case.version)
    services.assign(supervisor, case, finance_id, outsider.id, case.version)
    assert (case.department_id, case.assigned_to_id) == (finance_id, outsider.id)
    # The officer named on a case sees it even outside their department.
    assert access.can_see(outsider, case) and not access.can_see(officer, case)


def test_merge_closes_the_duplicate_and_points_to_the_original(officer):
    original, _ = make_case()
    duplicate, _ = make_case()
    target = services.merge(officer, duplicate, original.code.lower(), duplicate.version)
    assert target.id == original.id
    assert duplicate.merged_into_id == original.id and duplicate.status == Status.CLOSED
    assert original.events[-1].type == EventType.MERGED and not original.events[-1].is_public
    with pytest.raises(InvalidChange):
        services.merge(officer, original, original.code, original.version)


def test_resident_rates_once_after_resolution(officer):
    case, _ = make_case()
    with pytest.raises(InvalidChange):
        services.rate(case, 5, "")
    services.change_status(officer, case, "start", case.version)
    services.change_status(officer, case, "resolve", case.version)
    with pytest.raises(InvalidChange):
        services.rate(case, 6, "")
    services.rate(case, 4, "ซ่อมเร็วดี")
    assert (case.rating, case.rating_comment) == (4, "ซ่อมเร็วดี")
    with pytest.raises(InvalidChange):
        services.rate(case, 5, "")


def test_resident_reopens_once_within_thirty_days(officer):
    case, _ = make_case()
    services.change_status(officer, case, "start", case.version)
    services.change_status(officer, case, "resolve", case.version)
    with pytest.raises(MissingTransitionField):
        services.resident_reopen(case, "")
    services.resident_reopen(case, "หลุมกลับมาอีกแล้ว")
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1
    assert case.events[-1].type == EventType.REOPENED and case.events[-1].author_id is None
    services.change_status(officer, case, "resolve", case.version)
    assert not services.resident_can_reopen(case)  # once only
    with pytest.raises(InvalidChange):
        services.resident_reopen(case, "อีกครั้ง")


def test_resident_cannot_reopen_after_thirty_days(officer):
    case, _ = make_case()
    services.change_status(officer, case, "start", case.version)
    services.change_status(officer, case, "resolve", case.version)
    case.resolved_at = utcnow() - timedelta(days=31)
    db.session.commit()
    assert not services.resident_can_reopen(case)


def test_timeline_entries_name_their_author(officer):
    case, _ = make_case()
    services.add_note(officer, case, "โทรหาผู้ร้องแล้ว", case.version)
    event = db.session.scalars(select(CaseEvent).where(CaseEvent.type == EventType.NOTE)).one()
    assert event.author.email == officer.email
