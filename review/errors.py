"""Errors of work on a case, with messages officers and residents can read (Thai source)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.workflow import WorkflowError


class ReviewError(WorkflowError):
    """Base class: a change to a case that cannot be made; ``message`` is shown as it is."""

    default_message: object = _l("ไม่สามารถดำเนินการได้")

    def __init__(self, message: object | None = None) -> None:
        super().__init__(str(message if message is not None else self.default_message))


class CaseNotVisible(ReviewError):
    """The staff member may not see this case (another department's, or not staff at all)."""

    default_message = _l("ท่านไม่มีสิทธิ์เข้าถึงเรื่องนี้")


class InvalidChange(ReviewError):
    """Input that cannot be used (an empty reply, an unknown officer, a bad rating...)."""
