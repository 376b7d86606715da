"""Admin pages of the general track: reply templates, categories (due-date rules), departments."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.admin import AdminLink
from app.auth.decorators import permission_required
from app.extensions import db
from app.models import Department
from app.permissions import Permission
from app.workflow import WorkflowError
from cases.models import Category
from review import reference
from review.forms import CategoryForm, DepartmentForm, ReplyTemplateForm
from review.models import ReplyTemplate
from review.workflow import ACTION_LABELS

bp = Blueprint("review_admin", __name__)  # mounted under /staff/admin by app.admin
# Its lines of the admin menu section.
LINKS = (
    AdminLink("review_admin.categories", _l("หมวดเรื่อง")),
    AdminLink("review_admin.departments", _l("หน่วยงาน")),
    AdminLink("review_admin.reply_templates", _l("ข้อความสำเร็จรูป")),
    AdminLink("review_admin.categories", _l("กำหนดเวลาตอบรับ/แจ้งผล"), fragment="due-date-rules"),
)


@bp.route("/reply-templates", methods=["GET", "POST"])
@bp.route("/reply-templates/<int:template_id>", methods=["GET", "POST"])
@permission_required(Permission.ADMINISTER)
def reply_templates(template_id: int | None = None) -> str | Response:
    """List reply templates and add or edit one."""
    template = db.session.get(ReplyTemplate, template_id) if template_id else None
    if template_id and template is None:
        abort(404)
    form = ReplyTemplateForm(obj=template)
    if form.validate_on_submit():
        try:
            reference.save_reply_template(
                template,
                form.title.data or "",
                form.body.data or "",
                form.sort_order.data or 0,
                bool(form.active.data),
                form.action.data or "",
            )
        except WorkflowError as error:
            form.body.errors = [error.message]
        else:
            flash(_("บันทึกแม่แบบแล้ว"), "ok")
            return redirect(url_for(".reply_templates"))
    return render_template(
        "review/admin_templates.html",
        form=form,
        editing=template,
        templates=reference.reply_templates(active_only=False),
        action_labels=ACTION_LABELS,
    )


@bp.route("/categories", methods=["GET", "POST"])
@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@permission_required(Permission.ADMINISTER)
def categories(category_id: int | None = None) -> str | Response:
    """Categories with their default department and due-date rules (working days)."""
    category = db.session.get(Category, category_id) if category_id else None
    if category_id and category is None:
        abort(404)
    form = CategoryForm(obj=category)
    form.department_id.choices = [
        (d.id, d.name_th) for d in db.session.scalars(select(Department).order_by(Department.id))
    ]
    if form.validate_on_submit():
        try:
            reference.save_category(category, form.values())
        except WorkflowError as error:
            form.code.errors = [error.message]
        else:
            flash(_("บันทึกหมวดเรื่องแล้ว"), "ok")
            return redirect(url_for(".categories"))
    rows = db.session.scalars(select(Category).order_by(Category.sort_order, Category.id))
    return render_template(
        "review/admin_categories.html", form=form, editing=category, categories=list(rows)
    )


@bp.route("/departments", methods=["GET", "POST"])
@bp.route("/departments/<int:department_id>", methods=["GET", "POST"])
@permission_required(Permission.ADMINISTER)
def departments(department_id: int | None = None) -> str | Response:
    """Departments (กอง / สำนัก): add, rename, retire."""
    department = db.session.get(Department, department_id) if department_id else None
    if department_id and department is None:
        abort(404)
    form = DepartmentForm(obj=department)
    if form.validate_on_submit():
        try:
            reference.save_department(department, form.values())
        except WorkflowError as error:
            form.code.errors = [error.message]
        else:
            flash(_("บันทึกหน่วยงานแล้ว"), "ok")
            return redirect(url_for(".departments"))
    rows = db.session.scalars(select(Department).order_by(Department.id))
    return render_template(
        "review/admin_departments.html", form=form, editing=department, departments=list(rows)
    )
