"""Admin screens of accounts and the audit log (``/staff/admin/...``, admins only)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.admin import AdminLink
from app.audit import AuditEntry
from app.audit_text import action_label, readable
from app.auth import services
from app.auth.admin_forms import AuditFilterForm, UserForm, offered_roles
from app.auth.decorators import permission_required
from app.auth.errors import AccountError, RoleChangeRefused
from app.auth.models import User
from app.extensions import db
from app.models import Department
from app.permissions import Permission
from app.queue import SortOrder, keyset_page, local_day_range
from app.security import mark_private

bp = Blueprint("admin", __name__)  # mounted under /staff/admin by app.admin
# Its lines of the admin menu section.
LINKS = (AdminLink("admin.users", _l("ผู้ใช้งาน")), AdminLink("admin.audit_log", _l("บันทึกการเข้าถึง")))
AUDIT_PAGE_SIZE = 50
AUDIT_ORDER = SortOrder((AuditEntry.at, AuditEntry.id), descending=True)


def _department_choices() -> list[tuple[str, str]]:
    departments = db.session.scalars(select(Department).order_by(Department.id))
    return [(d.code, d.name_th) for d in departments]


@bp.get("/users")
@permission_required(Permission.ADMINISTER)
def users() -> str:
    """Every staff account with its roles, departments and state."""
    accounts = db.session.scalars(select(User).order_by(User.active.desc(), User.email))
    return render_template("auth/admin_users.html", users=list(accounts))


def _form_page(
    form: UserForm, user: User | None, error: AccountError | None = None, field: str = "password"
) -> ResponseReturnValue:
    """The account form again, with ``error`` beside ``field`` (or the roles it is about).

    A refused change of roles is answered 403 (the service audited it); other mistakes 200.
    """
    if isinstance(error, RoleChangeRefused):
        form.roles.errors = [str(error.message)]
        return render_template("auth/admin_user.html", form=form, user=user), 403
    if error is not None:
        form[field].errors = [str(error.message)]
    return render_template("auth/admin_user.html", form=form, user=user)


@bp.route("/users/new", methods=["GET", "POST"])
@permission_required(Permission.ADMINISTER)
def new_user() -> ResponseReturnValue:
    """Create an account with a first password the user changes later."""
    form = UserForm(offered_roles=offered_roles(()))
    form.departments.choices = _department_choices()
    if not form.validate_on_submit():
        return _form_page(form, None)
    try:
        services.create_user(
            form.email.data or "",
            form.display_name.data or "",
            form.password.data or "",
            form.roles.data or [],
            form.departments.data or [],
            actor=current_user._get_current_object(),
        )
    except AccountError as error:
        return _form_page(form, None, error, field="email")
    flash(_("สร้างบัญชีแล้ว"), "ok")
    return redirect(url_for(".users"))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@permission_required(Permission.ADMINISTER)
def edit_user(user_id: int) -> ResponseReturnValue:
    """Change a user's name, roles, departments, state or password (one's own roles excepted)."""
    user = db.session.get(User, user_id) or abort(404)
    form = UserForm(
        obj=None if request.method == "POST" else _user_data(user),
        offered_roles=offered_roles(user.roles),
    )
    form.departments.choices = _department_choices()
    form.email.data = user.email
    if not form.validate_on_submit():
        return _form_page(form, user, None)
    try:
        services.update_user(
            user,
            actor=current_user._get_current_object(),
            display_name=form.display_name.data or "",
            roles=form.roles.data or [],
            department_codes=form.departments.data or [],
            active=bool(form.active.data),
            new_password=form.password.data or "",
        )
    except AccountError as error:
        return _form_page(form, user, error)
    flash(_("บันทึกบัญชีแล้ว"), "ok")
    return redirect(url_for(".users"))


class _UserData:
    """What the edit form starts from."""

    def __init__(self, user: User) -> None:
        self.email = user.email
        self.display_name = user.display_name
        self.roles = sorted(user.roles)
        self.departments = [d.code for d in user.departments]
        self.active = user.active
        self.password = ""


def _user_data(user: User) -> _UserData:
    return _UserData(user)


@bp.get("/audit")
@permission_required(Permission.ADMINISTER)
def audit_log() -> str:
    """Browse the audit log, newest first, filtered by action, user, target and dates."""
    mark_private()
    form = AuditFilterForm(formdata=request.args)
    actions = db.session.scalars(select(AuditEntry.action).distinct().order_by(AuditEntry.action))
    form.action.choices = [("", _("ทั้งหมด"))] + [(a, action_label(a)) for a in actions]
    form.validate()
    conditions = []
    if form.action.data:
        conditions.append(AuditEntry.action == form.action.data)
    if form.user.data:
        conditions.append(AuditEntry.user_email == form.user.data.strip().lower())
    if form.target_type.data:
        conditions.append(AuditEntry.target_type == form.target_type.data)
    if form.target_id.data:
        conditions.append(AuditEntry.target_id == form.target_id.data.strip())
    if form.ip.data:
        conditions.append(AuditEntry.ip == form.ip.data.strip())
    day_from = None if form.day_from.errors else form.day_from.data
    day_to = None if form.day_to.errors else form.day_to.data
    conditions.extend(local_day_range(AuditEntry.at, day_from, day_to))
    page = keyset_page(
        db.session,
        select(AuditEntry).where(*conditions),
        AUDIT_ORDER,
        request.args.get("cursor"),
        AUDIT_PAGE_SIZE,
    )
    return render_template(
        "auth/admin_audit.html", form=form, page=page, lines=readable(page.items)
    )
