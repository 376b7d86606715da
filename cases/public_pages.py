"""Public pages of the general track: home, status lookup, status page, language switch."""

from __future__ import annotations

from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
)
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.extensions import db, limiter
from app.i18n import LANGUAGES
from app.input import safe_next
from app.organizations.services import organization_profile
from app.qr import qr_svg
from app.security import mark_private
from cases.downloads import send_attachment
from cases.errors import CaseNotFound
from cases.forms import TrackForm
from cases.forwarding import forwarded_progress
from cases.models import AttachmentPurpose
from cases.services import (
    case_for_code_and_phone,
    case_for_status_link,
    handling_case,
    photos_of,
    public_timeline,
)
from cases.status_access import case_for_access, grant_access, redirect_to_status_page, status_url

bp = Blueprint("cases", __name__)


@bp.get("/")
def home() -> str:
    """The organization, its channels and the big buttons, and its LINE Official Account."""
    line_id = organization_profile().line_basic_id
    line_url = f"https://line.me/R/ti/p/{quote(line_id)}" if line_id else ""
    return render_template(
        "cases/home.html", line_url=line_url, line_qr=qr_svg(line_url) if line_url else ""
    )


@bp.route("/track", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["TRACK_RATE_LIMIT"], methods=["POST"])
def track() -> str | Response:
    """Find a case by tracking code and phone number, then open its (token-free) status page."""
    form = TrackForm()
    if form.validate_on_submit():
        try:
            case = case_for_code_and_phone(form.code.data or "", form.phone.data or "")
        except CaseNotFound:
            form.code.errors = [_("ไม่พบเรื่องที่ตรงกับเลขรับเรื่องและเบอร์โทรศัพท์นี้")]
        else:
            return redirect_to_status_page(case.id, case.code)
    return render_template("cases/track.html", form=form)


@bp.get("/track/<code>/<token>")
@limiter.limit(
    lambda: current_app.config["TRACK_RATE_LIMIT"], deduct_when=lambda r: r.status_code == 404
)
def status(code: str, token: str) -> Response:
    """The resident's status link: check the token once, then go to the token-free page."""
    mark_private()
    try:
        case = case_for_status_link(code, token)
    except CaseNotFound:
        abort(404)
    return redirect_to_status_page(case.id, case.code, new=request.args.get("new") == "1")


@bp.get("/track/<code>")
def status_page(code: str) -> Response | tuple[str, int]:
    """The status page: status, public timeline and replies, no personal data, no token."""
    mark_private()
    try:
        case = case_for_access(code)
    except CaseNotFound:
        return _no_access(code)
    just_submitted = request.args.get("new") == "1"
    page = render_template(
        "cases/status.html",
        case=case,
        photos=photos_of(case, AttachmentPurpose.RESIDENT),
        after=photos_of(case, AttachmentPurpose.AFTER),
        timeline=public_timeline(case),
        handled_in=handling_case(case),
        forwarded=forwarded_progress(db.session, case),
        just_submitted=just_submitted,
        # The link itself is shown once, on the receipt, for the resident to keep.
        status_url=status_url(case) if just_submitted else None,
    )
    return grant_access(make_response(page), case.id, case.code)  # renewed on every view


@bp.get("/track/<code>/photos/<int:attachment_id>")
def own_photo(code: str, attachment_id: int) -> Response:
    """One of the resident's own photos, for the browser holding the case's access cookie."""
    mark_private()
    try:
        case = case_for_access(code)
    except CaseNotFound:
        abort(404)
    photo = next((a for a in case.attachments if a.id == attachment_id and a.is_image), None)
    if photo is None:
        abort(404)
    return send_attachment(photo, inline=True)


def _no_access(code: str) -> tuple[str, int]:
    """The same 404 for an unknown code, a missing grant and an expired one."""
    form = TrackForm(formdata=None, code=code[:20])
    return render_template("cases/track.html", form=form, no_access=True), 404


@bp.post("/lang")
def switch_language() -> Response:
    """Remember the chosen language and go back where the resident was."""
    lang = request.form.get("lang", "th")
    session["lang"] = lang if lang in LANGUAGES else "th"
    # Only paths on this site: never an open redirect.
    return redirect(safe_next(request.form.get("next")) or "/")


@bp.app_context_processor
def _labels() -> dict[str, object]:
    """Code-value labels for every template."""
    from cases import labels

    return {
        "KIND_LABELS": labels.KIND_LABELS,
        "CHANNEL_LABELS": labels.CHANNEL_LABELS,
        "EVENT_LABELS": labels.EVENT_LABELS,
    }
