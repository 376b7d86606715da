"""How the audit log names cases (by tracking code) and words the general track's details."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit_text import register_sentence, register_target_names
from app.auth.models import User
from app.extensions import db
from app.models import Department
from app.statuses import STATUS_LABELS
from cases.forwarding import body_name
from cases.models import Case
from review.workflow import ACTION_LABELS


def _numbers(ids: list[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]


def case_codes(ids: list[str]) -> dict[str, str]:
    """Stored case ids -> tracking codes."""
    rows = db.session.execute(select(Case.id, Case.code).where(Case.id.in_(_numbers(ids))))
    return {str(case_id): code for case_id, code in rows}


def _status(value: Any) -> str:
    return str(STATUS_LABELS.get(value, value))


def _moved(detail: dict[str, Any]) -> str:
    action = str(ACTION_LABELS.get(detail["action"], detail["action"]))
    return _(
        "%(action)s: จาก %(before)s เป็น %(after)s",
        action=action,
        before=_status(detail["from"]),
        after=_status(detail["to"]),
    )


def _assigned(detail: dict[str, Any]) -> str:
    department = db.session.get(Department, detail["department_id"])
    text = _("ให้ %(department)s", department=department.name_th if department else "—")
    if detail.get("officer_id"):
        officer = db.session.get(User, detail["officer_id"])
        text += " · " + (officer.display_name if officer else "—")
    return text


def _merged(detail: dict[str, Any]) -> str:
    code = case_codes([str(detail["into"])]).get(str(detail["into"]), "—")
    return _("รวมเข้ากับเรื่อง %(code)s", code=code)


def _forwarded(detail: dict[str, Any]) -> str:
    return _("ไปยัง %(body)s", body=body_name(db.session, detail["organization_id"]) or "—")


def _received_forwarded(detail: dict[str, Any]) -> str:
    return _("จาก %(body)s", body=body_name(db.session, detail["from_organization_id"]) or "—")


def _attachment(detail: dict[str, Any]) -> str:
    return _("ไฟล์แนบหมายเลข %(id)s", id=detail["attachment_id"])


def _reference(detail: dict[str, Any]) -> str:
    return _("รหัส %(code)s", code=detail["code"])


def register() -> None:
    """Tell the audit log how to read the general track's entries."""
    register_target_names("case", case_codes)
    register_sentence("case_status_changed", _moved)
    register_sentence("case_assigned", _assigned)
    register_sentence("case_merged", _merged)
    register_sentence("case_forwarded", _forwarded)
    register_sentence("case_received_forwarded", _received_forwarded)
    register_sentence("attachment_downloaded", _attachment)
    register_sentence("category_saved", _reference)
    register_sentence("department_saved", _reference)
