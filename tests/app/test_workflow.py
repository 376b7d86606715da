"""The generic workflow, exercised with a small table of its own (as the integrity track would)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.workflow import (
    IllegalTransition,
    MissingTransitionField,
    Transition,
    TransitionNotPermitted,
    Workflow,
)

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
