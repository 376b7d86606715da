"""The integrity track's table of transitions, on the shared ``app.workflow`` engine.

received → accepted → in_progress → closed (an outcome is required), rejected (a reason is
required: not an integrity matter, not this organization's staff), and reopen with a reason.
Only integrity officers take any of them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.permissions import Permission, roles_with
from app.statuses import STATUS_LABELS, Status
from app.workflow import Transition, Workflow

INTEGRITY_ONLY = frozenset(r.value for r in roles_with(Permission.WORK_INTEGRITY))
WORKING = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS})
FINISHED = frozenset({Status.CLOSED, Status.REJECTED})

ACTION_LABELS = {
    "accept": _l("ตอบรับเรื่อง"),
    "start": _l("เริ่มตรวจสอบข้อเท็จจริง"),
    "close": _l("ปิดเรื่องพร้อมผลการดำเนินการ"),
    "reject": _l("ไม่รับเรื่อง"),
    "reopen": _l("เปิดเรื่องอีกครั้ง"),
}

INTEGRITY_WORKFLOW = Workflow(
    [
        Transition("accept", frozenset({Status.RECEIVED}), Status.ACCEPTED, INTEGRITY_ONLY),
        Transition(
            "start",
            frozenset({Status.RECEIVED, Status.ACCEPTED}),
            Status.IN_PROGRESS,
            INTEGRITY_ONLY,
        ),
        Transition(
            "close",
            WORKING,
            Status.CLOSED,
            INTEGRITY_ONLY,
            requires={"outcome": _l("กรุณาเลือกผลการดำเนินการ")},
        ),
        Transition(
            "reject",
            WORKING,
            Status.REJECTED,
            INTEGRITY_ONLY,
            requires={"reason": _l("กรุณาระบุเหตุผลที่ไม่รับเรื่อง")},
        ),
        Transition(
            "reopen",
            FINISHED,
            Status.IN_PROGRESS,
            INTEGRITY_ONLY,
            requires={"reason": _l("กรุณาระบุเหตุผลที่เปิดเรื่องอีกครั้ง")},
        ),
    ],
    action_labels=ACTION_LABELS,
    status_labels=STATUS_LABELS,
)

STAFF_ACTIONS = tuple(INTEGRITY_WORKFLOW.transitions)
