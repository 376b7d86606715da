"""The admin screens' reference data: reply templates, categories and departments."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.database import unit_of_work
from app.extensions import db
from app.models import Department
from cases.models import Category
from review.errors import InvalidChange
from review.models import ReplyTemplate
from review.workflow import STAFF_ACTIONS


def reply_templates(active_only: bool = True) -> list[ReplyTemplate]:
    """Reply templates in display order."""
    stmt = select(ReplyTemplate).order_by(ReplyTemplate.sort_order, ReplyTemplate.id)
    if active_only:
        stmt = stmt.where(ReplyTemplate.active.is_(True))
    return list(db.session.scalars(stmt))


def templates_for_move(templates: list[ReplyTemplate], action: str) -> list[ReplyTemplate]:
    """``templates`` with those tied to ``action`` first (then the general ones, then the rest).

    ``action`` '' (a plain reply) puts the general templates first.
    """
    return sorted(
        templates, key=lambda t: 0 if (t.action or "") == action else 1 if not t.action else 2
    )


def save_reply_template(
    template: ReplyTemplate | None,
    title: str,
    body: str,
    sort_order: int,
    active: bool,
    action: str = "",
) -> ReplyTemplate:
    """Create (``template`` is None) or update a reply template, optionally tied to a move."""
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise InvalidChange(_l("กรุณากรอกชื่อแม่แบบและข้อความ"))
    if action and action not in STAFF_ACTIONS:
        raise InvalidChange(_l("ไม่พบการดำเนินการนี้"))
    with unit_of_work(db.session) as session:
        if template is None:
            template = ReplyTemplate()
            session.add(template)
        template.title, template.body = title, body
        template.sort_order, template.active = sort_order, active
        template.action = action or None
        session.flush()
        audit.record("reply_template_saved", target_type="reply_template", target_id=template.id)
    return template


def _save_reference(
    model: type[Category] | type[Department],
    row: Category | Department | None,
    values: dict[str, object],
    action: str,
) -> Category | Department:
    code = str(values.get("code") or "").strip().lower()
    clash = db.session.scalar(select(model).where(model.code == code))
    if clash is not None and clash is not row:
        raise InvalidChange(_l("รหัสนี้มีอยู่แล้ว"))
    if row is None:
        row = model()
        db.session.add(row)
    for name, value in {**values, "code": code}.items():
        setattr(row, name, value.strip() if isinstance(value, str) else value)
    db.session.flush()
    audit.record(action, target_type=model.__tablename__, target_id=row.id, detail={"code": code})
    return row


def save_category(category: Category | None, values: dict[str, object]) -> Category:
    """Create or update a category; its due-date rules apply to cases received afterwards."""
    if db.session.get(Department, values.get("department_id")) is None:
        raise InvalidChange(_l("ไม่พบหน่วยงานนี้"))
    with unit_of_work(db.session):
        saved = _save_reference(Category, category, values, "category_saved")
    assert isinstance(saved, Category)
    return saved


def save_department(department: Department | None, values: dict[str, object]) -> Department:
    """Create or update a department."""
    with unit_of_work(db.session):
        saved = _save_reference(Department, department, values, "department_saved")
    assert isinstance(saved, Department)
    return saved
