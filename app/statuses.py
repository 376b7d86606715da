"""The statuses both tracks share, grouped by type, and their labels.

A general case and an integrity report move through the same statuses (their transitions differ:
``review.workflow`` and ``integrity.workflow``), so queues, tabs, due dates and reports filter by
group, never by lists of names.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from flask_babel import lazy_gettext as _l


class StatusGroup(StrEnum):
    """Statuses grouped by type, so queues and reports filter by group, not by lists of names."""

    OPEN = "open"
    CLOSED = "closed"


class Status(StrEnum):
    """Where a case is in the workflow (transitions live in one state machine)."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"
    FORWARDED = "forwarded"

    @property
    def group(self) -> StatusGroup:
        """Open statuses still need an officer's action; closed ones are answered."""
        return StatusGroup.OPEN if self in OPEN_STATUSES else StatusGroup.CLOSED


OPEN_STATUSES = frozenset({Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS})
CLOSED_STATUSES = frozenset(Status) - OPEN_STATUSES

STATUS_LABELS = {
    Status.RECEIVED: _l("รับเรื่องแล้ว รอตรวจสอบ"),
    Status.ACCEPTED: _l("ตอบรับเรื่องแล้ว"),
    Status.IN_PROGRESS: _l("อยู่ระหว่างดำเนินการ"),
    Status.RESOLVED: _l("ดำเนินการแล้วเสร็จ"),
    Status.CLOSED: _l("ปิดเรื่อง"),
    Status.REJECTED: _l("ไม่รับเรื่อง"),
    Status.FORWARDED: _l("ส่งต่อหน่วยงานอื่น"),
}


class _HasStatus(Protocol):
    status: str


class GroupedStatus:
    """For a model with a ``status`` column (a case, an integrity report): its group."""

    @property
    def status_group(self: _HasStatus) -> StatusGroup:
        """Open or closed, from the status."""
        return Status(self.status).group
