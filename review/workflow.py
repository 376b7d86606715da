"""The general track's status workflow: the one table of legal transitions of a case.

received → accepted (acknowledged) → in_progress → resolved → closed, plus rejected (a reason is
required), forwarded (the agency is required), reopen by a supervisor, and one reopen by the
resident from the status page.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.permissions import Permission, roles_with
from app.statuses import STATUS_LABELS, Status
from app.workflow import Transition, Workflow

RESIDENT = "resident"  # the pseudo-role of whoever holds the case's status link
STAFF = frozenset(r.value for r in roles_with(Permission.WORK_CASES))
WORKING = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS})
FINISHED = frozenset({Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.FORWARDED})

ACTION_LABELS = {
    "accept": _l("ตอบรับเรื่อง"),
    "start": _l("เริ่มดำเนินการ"),
    "resolve": _l("แจ้งผลดำเนินการแล้วเสร็จ"),
    "close": _l("ปิดเรื่อง"),
    "reject": _l("ไม่รับเรื่อง"),
    "forward": _l("ส่งต่อหน่วยงานอื่น"),
    "reopen": _l("เปิดเรื่องอีกครั้ง"),
    "resident_reopen": _l("ขอเปิดเรื่องอีกครั้ง"),
    "merge": _l("รวมกับเรื่องอื่น"),
}

CASE_WORKFLOW = Workflow(
    [
        Transition("accept", frozenset({Status.RECEIVED}), Status.ACCEPTED, STAFF),
        Transition(
            "start", frozenset({Status.RECEIVED, Status.ACCEPTED}), Status.IN_PROGRESS, STAFF
        ),
        Transition(
            "resolve", frozenset({Status.ACCEPTED, Status.IN_PROGRESS}), Status.RESOLVED, STAFF
        ),
        Transition("close", frozenset({Status.RESOLVED}), Status.CLOSED, STAFF),
        Transition(
            "reject",
            WORKING,
            Status.REJECTED,
            STAFF,
            requires={"reason": _l("กรุณาระบุเหตุผลที่ไม่รับเรื่อง")},
        ),
        Transition(
            "forward",
            WORKING,
            Status.FORWARDED,
            STAFF,
            requires={"agency": _l("กรุณาระบุหน่วยงานที่ส่งต่อ")},
        ),
        Transition(
            "merge",
            WORKING,
            Status.CLOSED,
            STAFF,
            requires={"into": _l("กรุณาระบุเลขรับเรื่องที่จะรวมเข้าด้วย")},
        ),
        Transition(
            "reopen",
            FINISHED,
            Status.IN_PROGRESS,
            frozenset(r.value for r in roles_with(Permission.REOPEN_CASES)),
            requires={"reason": _l("กรุณาระบุเหตุผลที่เปิดเรื่องอีกครั้ง")},
        ),
        Transition(
            "resident_reopen",
            frozenset({Status.RESOLVED, Status.CLOSED}),
            Status.IN_PROGRESS,
            frozenset({RESIDENT}),
            requires={"reason": _l("กรุณาเล่าว่าปัญหายังเกิดอยู่อย่างไร")},
        ),
    ],
    action_labels=ACTION_LABELS,
    status_labels=STATUS_LABELS,
)

# Buttons shown to staff on the case page, in this order (reopen only for supervisors).
STAFF_ACTIONS = ("accept", "start", "resolve", "close", "reject", "forward", "reopen")
