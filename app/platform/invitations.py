"""Taking up an invitation: a body's first admin sets a password on the body's own pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.auth.errors import AccountError
from app.platform.errors import InvitationRefused
from app.platform.forms import AcceptInvitationForm
from app.platform.services import accept_invitation, open_invitation
from app.security import mark_private

bp = Blueprint("invitation", __name__, url_prefix="/staff/invitation")


def _refused_page(refused: InvitationRefused) -> tuple[str, int]:
    """A Thai page saying why the link no longer works: 404 unknown, 410 used or expired."""
    page = render_template(
        "errors/error.html",
        title=_("คำเชิญใช้ไม่ได้"),
        message=refused.message,
        status=refused.status,
    )
    return page, refused.status


@bp.route("/<code>", methods=["GET", "POST"])
def accept(code: str) -> tuple[str, int] | Response:
    """Show whom the invitation is for and take the chosen password."""
    mark_private()
    form = AcceptInvitationForm()
    try:
        invitation = open_invitation(code)
        if form.validate_on_submit():
            accept_invitation(code, form.display_name.data or "", form.password.data or "")
            flash(_("ตั้งรหัสผ่านแล้ว กรุณาลงชื่อเข้าใช้และตั้งค่าแอปยืนยันตัวตน"), "ok")
            return redirect(url_for("auth.login"))
    except InvitationRefused as refused:
        return _refused_page(refused)
    except AccountError as error:
        form.password.errors = [str(error.message)]
    page = render_template("platform/accept_invitation.html", form=form, invitation=invitation)
    return page, 400 if form.is_submitted() else 200
