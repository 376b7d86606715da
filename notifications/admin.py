"""The admin's outbox page: counts per channel, dead letters and retrying them (admins only)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from app.admin import AdminLink
from app.auth.decorators import permission_required
from app.extensions import db
from app.organizations.line_accounts import any_own_line_account
from app.permissions import Permission
from notifications import services
from notifications.errors import NotificationNotFound
from notifications.forms import RetryForm
from notifications.senders import unavailable_channels

# Mounted under /staff/admin by app.admin; it was /staff/notifications/ (``MOVED`` redirects).
bp = Blueprint("notifications_admin", __name__, url_prefix="/notifications")
# Its line of the admin menu section.
LINKS = (AdminLink("notifications_admin.outbox", _l("การแจ้งเตือนที่ส่งออก")),)


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
