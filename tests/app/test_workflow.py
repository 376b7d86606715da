"""The generic workflow, exercised with a small table of its own (as the integrity track would)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import update

from app.extensions import db
from app.models import utcnow
from app.workflow import (
    ConcurrentChange,
    IllegalTransition,
    MissingTransitionField,
    Transition,
    TransitionNotPermitted,
    Workflow,
    change_transaction,
)
from cases.models import Case
from tests.factories import make_case

TOY = Workflow(
    [
        Transition("open", frozenset({"new"}), "open"),
        Transition(
            "dismiss",
            frozenset({"new", "open"}),
            "dismissed",
            frozenset({"boss"}),
            requires={"reason": "ต้องมีเหตุผล"},
        ),
    ],
    action_labels={"open": "เปิด", "dismiss": "ยุติ"},
    status_labels={"new": "ใหม่", "open": "เปิดแล้ว", "dismissed": "ยุติแล้ว"},
)


@dataclass
class Record:
    status: str


def test_a_legal_transition_moves_the_record_and_reports_it(app):
    record = Record("new")
    applied = TOY.apply(record, "open", {"anyone"})
    assert (record.status, applied.from_status, applied.to_status) == ("open", "new", "open")


def test_an_illegal_transition_is_refused_with_a_thai_message_naming_action_and_status(app):
    record = Record("dismissed")
    with pytest.raises(IllegalTransition) as refused:
        TOY.apply(record, "open", {"boss"})
    assert "เปิด" in refused.value.message and "ยุติแล้ว" in refused.value.message
    assert record.status == "dismissed"


def test_roles_and_required_fields_are_checked(app):
    with pytest.raises(TransitionNotPermitted):
        TOY.apply(Record("new"), "dismiss", {"clerk"}, reason="ซ้ำ")
    with pytest.raises(MissingTransitionField) as missing:
        TOY.apply(Record("new"), "dismiss", {"boss"}, reason="   ")
    assert missing.value.field_name == "reason"
    record = Record("open")
    assert TOY.apply(record, "dismiss", {"boss"}, reason=" ซ้ำ ").fields["reason"] == "ซ้ำ"


def test_unknown_actions_are_illegal(app):
    with pytest.raises(IllegalTransition):
        TOY.apply(Record("new"), "explode", {"boss"})


def test_allowed_lists_only_what_the_roles_may_do_from_the_status():
    assert [t.action for t in TOY.allowed("new", {"clerk"})] == ["open"]
    assert [t.action for t in TOY.allowed("open", {"boss"})] == ["dismiss"]


def _subject_in_database(case_id: int) -> str:
    db.session.expire_all()
    stored = db.session.get(Case, case_id)
    assert stored is not None
    return stored.subject


def test_a_change_is_committed_with_the_time_of_the_activity(app):
    case, _ = make_case()
    case.last_activity_at = utcnow() - timedelta(days=3)
    db.session.commit()
    with change_transaction(case):
        case.subject = "แก้ไขแล้ว"
    assert _subject_in_database(case.id) == "แก้ไขแล้ว"
    assert utcnow() - case.last_activity_at < timedelta(minutes=1)


def test_a_colleagues_change_since_loading_raises_concurrent_change_and_keeps_nothing(app):
    case, _ = make_case()
    original = case.subject
    # The colleague's save bumps the version behind this session's back.
    db.session.execute(
        update(Case)
        .where(Case.id == case.id)
        .values(version=Case.version + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(ConcurrentChange), change_transaction(case):
        case.subject = "ทับงานของคนอื่น"
    assert _subject_in_database(case.id) == original


def test_any_other_failure_rolls_the_whole_change_back_and_is_raised(app):
    case, _ = make_case()
    original = case.subject
    with pytest.raises(LookupError), change_transaction(case):
        case.subject = "ครึ่งทาง"
        db.session.flush()
        raise LookupError("the rest of the change failed")
    assert _subject_in_database(case.id) == original
