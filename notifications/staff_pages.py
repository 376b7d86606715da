"""Each staff member's own page: where they are told about new cases and the daily digest."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.admin import keep_old_url
from app.auth.decorators import role_required
from notifications import contacts
from notifications.errors import InvalidContact
from notifications.forms import ContactForm

bp = Blueprint("notifications", __name__, url_prefix="/staff/notifications")
# The outbox pages were here before the admin screens came under /staff/admin (``app.admin``).
keep_old_url(bp, "/", "notifications_admin.outbox", ["GET"])
keep_old_url(bp, "/<int:notification_id>/retry", "notifications_admin.retry", ["POST"])
keep_old_url(bp, "/retry-all", "notifications_admin.retry_all", ["POST"])


@bp.route("/me", methods=["GET", "POST"])
@role_required()
def contact() -> str | Response:
    """Where a staff member is told about new cases and the daily digest."""
    user = current_user._get_current_object()
    form = ContactForm(obj=contacts.contact_of(user) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            contacts.save_contact(user, bool(form.by_email.data), form.line_recipient.data or "")
        except InvalidContact:
            form.line_recipient.errors = [
                _("LINE ID ต้องขึ้นต้นด้วย U, C หรือ R ตามด้วยตัวอักษร 0-9 a-f 32 ตัว")
            ]
        else:
            flash(_("บันทึกการตั้งค่าการแจ้งเตือนแล้ว"), "ok")
            return redirect(url_for(".contact"))
    return render_template("notifications/contact.html", form=form, email=user.email)
