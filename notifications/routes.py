"""The admin's outbox page (counts, dead letters, retry) and each staff member's own settings."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.decorators import permission_required, role_required
from app.extensions import db
from app.organizations.line_accounts import any_own_line_account
from app.permissions import Permission
from notifications import services, staff
from notifications.errors import InvalidContact, NotificationNotFound
from notifications.forms import ContactForm, RetryForm
from notifications.senders import unavailable_channels

bp = Blueprint("notifications", __name__, url_prefix="/staff/notifications")


@bp.get("/")
@permission_required(Permission.ADMINISTER)
def outbox() -> str:
    """Counts per channel, why a channel waits, and the dead letters with their last error."""
    return render_template(
        "notifications/outbox.html",
        counts=services.outbox_counts(),
        unavailable=unavailable_channels(current_app.config, any_own_line_account(db.session)),
        dead=services.dead_letters(),
        form=RetryForm(),
    )


@bp.post("/<int:notification_id>/retry")
@permission_required(Permission.ADMINISTER)
def retry(notification_id: int) -> Response:
    """Put one dead letter back in the outbox."""
    if not RetryForm().validate_on_submit():
        abort(400)
    try:
        services.retry_dead_letter(notification_id)
    except NotificationNotFound:
        flash(_("ไม่พบข้อความนี้ในรายการที่ส่งไม่สำเร็จ (อาจส่งใหม่ไปแล้ว)"), "error")
    else:
        flash(_("นำข้อความกลับเข้าคิวส่งแล้ว"), "ok")
    return redirect(url_for(".outbox"))


@bp.post("/retry-all")
@permission_required(Permission.ADMINISTER)
def retry_all() -> Response:
    """Put every dead letter back in the outbox."""
    if not RetryForm().validate_on_submit():
        abort(400)
    count = services.retry_all_dead_letters()
    flash(_("นำข้อความ %(count)d รายการกลับเข้าคิวส่งแล้ว", count=count), "ok")
    return redirect(url_for(".outbox"))


@bp.route("/me", methods=["GET", "POST"])
@role_required()
def contact() -> str | Response:
    """Where a staff member is told about new cases and the daily digest."""
    user = current_user._get_current_object()
    form = ContactForm(obj=staff.contact_of(user) if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            staff.save_contact(user, bool(form.by_email.data), form.line_recipient.data or "")
        except InvalidContact:
            form.line_recipient.errors = [
                _("LINE ID ต้องขึ้นต้นด้วย U, C หรือ R ตามด้วยตัวอักษร 0-9 a-f 32 ตัว")
            ]
        else:
            flash(_("บันทึกการตั้งค่าการแจ้งเตือนแล้ว"), "ok")
            return redirect(url_for(".contact"))
    return render_template("notifications/contact.html", form=form, email=user.email)
