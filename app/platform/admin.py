"""The platform administrators' screens: sign-in, organizations, first-admin invitations.

Mounted under ``/platform/`` on the platform's own host (no body in scope). The screens list
and change organizations and invite a body's first admin; no screen here reads a case, a
report or anything else a body holds.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import logout_user
from werkzeug.wrappers import Response

from app import audit
from app.auth import sessions
from app.auth.errors import AccountError
from app.auth.services import authenticate_with, check_second_factor, sign_out
from app.extensions import db
from app.input import safe_next
from app.organizations.models import Organization
from app.organizations.services import (
    OrganizationError,
    all_organizations,
    create_organization,
    find_by_slug,
    resolve_area,
    update_organization,
)
from app.platform.access import platform_account_required, signed_in_platform_account
from app.platform.forms import TYPE_LABELS, InvitationForm, OrganizationForm, PlatformSignInForm
from app.platform.models import AccountKind
from app.platform.services import invite_first_admin, platform_account_by_email
from app.security import mark_private

bp = Blueprint("platform_admin", __name__, url_prefix="/platform")
administrator = platform_account_required(AccountKind.ADMINISTRATOR)
# Where each kind of account lands after signing in (oversight's page is the reports').
HOME_OF = {
    AccountKind.ADMINISTRATOR: "platform_admin.organizations",
    AccountKind.OVERSIGHT: "oversight.overview",
}


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response:
    """Platform accounts sign in here (bodies' staff sign in on their body's pages)."""
    mark_private()
    form = PlatformSignInForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next")) or ""
    if form.validate_on_submit():
        try:
            account = authenticate_with(
                form.email.data or "", form.password.data or "", platform_account_by_email
            )
        except AccountError as error:
            form.password.errors = [str(error.message)]
        else:
            try:
                if account.needs_two_factor:
                    check_second_factor(account, form.code.data or "")  # type: ignore[arg-type]
            except AccountError as error:
                form.code.errors = [str(error.message)]
            else:
                sessions.start(account)
                return redirect(safe_next(form.next.data) or url_for(".home"))
    return render_template("platform/login.html", form=form)


@bp.post("/logout")
def logout() -> Response:
    """Sign out here and on every other device."""
    account = signed_in_platform_account()
    if account is not None:
        sign_out(account)  # type: ignore[arg-type]
    logout_user()
    session.clear()
    flash(_("ออกจากระบบแล้ว"), "ok")
    return redirect(url_for(".login"))


@bp.get("/")
def home() -> Response:
    """The landing page of the signed-in account's kind."""
    account = signed_in_platform_account()
    if account is None:
        return redirect(url_for(".login"))
    return redirect(url_for(HOME_OF[AccountKind(account.kind)]))


@bp.get("/organizations")
@administrator
def organizations() -> str:
    """Every organization: state, kind, area, host names."""
    mark_private()
    return render_template(
        "platform/organizations.html",
        organizations=all_organizations(db.session),
        type_labels=TYPE_LABELS,
    )


def _organization(organization_id: int) -> Organization:
    organization = db.session.get(Organization, organization_id)
    if organization is None:
        abort(404)
    return organization


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def _settings(form: OrganizationForm) -> dict[str, str]:
    return {
        "name_en": (form.name_en.data or "").strip(),
        "phone": (form.phone.data or "").strip(),
        "address": (form.address.data or "").strip(),
    }


def _save(form: OrganizationForm, organization: Organization | None) -> Organization:
    """Create or change an organization from the form; audited in the platform's log first, so
    the entry is committed with the change itself."""
    area = resolve_area(
        form.province.data or None, form.district.data or None, _split(form.subdistricts.data)
    )
    slug = (form.slug.data or "").strip().lower()
    taken = find_by_slug(db.session, slug)
    if organization is not None and taken is not None and taken is not organization:
        raise OrganizationError(_("มีหน่วยงาน %(slug)s อยู่แล้ว", slug=slug))
    audit.record(
        "organization_created" if organization is None else "organization_updated",
        target_type="organization",
        target_id=slug,
        detail={"slug": slug, "area": list(area.subdistrict_codes) or area.district_code},
    )
    if organization is None:
        return create_organization(
            db.session,
            slug,
            name_th=form.name_th.data or "",
            type_=form.type.data or "",
            area=area,
            hosts=_split(form.hosts.data),
            **_settings(form),
        )
    return update_organization(
        db.session,
        organization,
        area=area,
        hosts=_split(form.hosts.data),
        slug=slug,
        name_th=(form.name_th.data or "").strip(),
        type=form.type.data,
        **_settings(form),
    )


def _organization_page(
    form: OrganizationForm, organization: Organization | None
) -> tuple[str, int] | Response:
    """The organization form; saved, it redirects; refused, it comes back as typed (400)."""
    if form.validate_on_submit():
        try:
            saved = _save(form, organization)
        except OrganizationError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            flash(_("บันทึกหน่วยงาน %(name)s แล้ว", name=saved.name_th), "ok")
            return redirect(url_for(".organization", organization_id=saved.id))
    page = render_template(
        "platform/organization.html",
        form=form,
        organization=organization,
        invitation=InvitationForm(formdata=None),
        type_labels=TYPE_LABELS,
    )
    return page, 400 if request.method == "POST" else 200


@bp.route("/organizations/new", methods=["GET", "POST"])
@administrator
def new_organization() -> tuple[str, int] | Response:
    """Add a body: it starts with the default categories, departments and templates."""
    mark_private()
    return _organization_page(OrganizationForm(), None)


@bp.route("/organizations/<int:organization_id>", methods=["GET", "POST"])
@administrator
def organization(organization_id: int) -> tuple[str, int] | Response:
    """Change a body's names, kind, area, host names and contacts."""
    mark_private()
    found = _organization(organization_id)
    form = OrganizationForm(
        obj=found,
        province=found.province_code,
        district=found.district_code,
        subdistricts=", ".join(found.subdistrict_codes),
        hosts=", ".join(found.host_names),
    )
    return _organization_page(form, found)


@bp.post("/organizations/<int:organization_id>/active")
@administrator
def set_active(organization_id: int) -> Response:
    """Suspend a body (its pages, webhook and workers stop serving it) or activate it again."""
    found = _organization(organization_id)
    active = request.form.get("active") == "1"
    audit.record(
        "organization_activated" if active else "organization_suspended",
        target_type="organization",
        target_id=found.id,
        detail={"slug": found.slug},
    )
    update_organization(db.session, found, active=active)
    flash(_("เปิดใช้งานหน่วยงานแล้ว") if active else _("ระงับหน่วยงานแล้ว"), "ok")
    return redirect(url_for(".organization", organization_id=found.id))


@bp.post("/organizations/<int:organization_id>/invitation")
@administrator
def invite(organization_id: int) -> tuple[str, int] | str:
    """Invite the body's first admin: the one-time link is shown once, here."""
    mark_private()
    found = _organization(organization_id)
    form = InvitationForm()
    if not form.validate_on_submit():
        flash(_("กรุณาระบุอีเมลให้ถูกต้อง"), "error")
        return _invitation_page(found, form, None), 400
    account = signed_in_platform_account()
    assert account is not None  # the guard let only an administrator in
    try:
        link = invite_first_admin(
            account, found, form.email.data or "", form.display_name.data or ""
        )
    except AccountError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _invitation_page(found, form, None), 400
    return _invitation_page(found, form, link)


def _invitation_page(found: Organization, form: InvitationForm, link: str | None) -> str:
    return render_template("platform/invitation.html", organization=found, form=form, link=link)
