"""Public pages of the integrity track: explanation, forms, receipt, the reporter's follow-up.

Every page here is private (no-store, no referrer) and loads nothing from other sites. The
reporter who entered a valid receipt is remembered in the signed session for a short while by the
report's id and a session nonce whose hash the report holds, so "Leave" ends the session on the
server too; the receipt itself is never put in a cookie or a URL. Rate limits here count per
client under a daily keyed hash of the address, never the address (``integrity.throttle``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from app import staging, uploads
from app.audit import omit_client_ip
from app.errors import render_error
from app.extensions import csrf, limiter
from app.security import mark_private
from app.uploads import RefusedUpload, refusal_message
from integrity import evidence, intake, reporter
from integrity.errors import ReceiptNotAccepted, ReportNotFound, ReportRefused
from integrity.forms import BudgetForm, EvidenceForm, MessageForm, ReceiptForm, ReportForm
from integrity.intake import ReportSubmission, SubmittedReport
from integrity.models import IntegrityReport
from integrity.throttle import anonymous_client_key

bp = Blueprint("integrity", __name__, url_prefix="/integrity")

SESSION_KEY = "integrity_report"
SESSION_NONCE = "integrity_session"
SESSION_SEEN = "integrity_seen"
# A reporter's opened report is forgotten after this long without a page view.
REPORTER_IDLE_SECONDS = 30 * 60


@bp.before_request
def _private() -> None:
    mark_private()
    omit_client_ip()
    # CSRF is checked here rather than by the app-wide hook, which runs before this one and
    # would audit a refused token with the reporter's address.
    config = current_app.config
    if config["WTF_CSRF_ENABLED"] and request.method in config["WTF_CSRF_METHODS"]:
        csrf.protect()


csrf.exempt(bp)


@bp.get("/")
def index() -> str:
    """What belongs on this track, how the reporter is protected, and the ways in."""
    return render_template("integrity/index.html")


def _read_files(files: list[FileStorage]) -> list[tuple[str, bytes]]:
    return [(file.filename, file.read()) for file in files if file and file.filename]


def intake_form(
    form: ReportForm,
    template: str,
    submit: Callable[[ReportSubmission], SubmittedReport] = intake.submit_report,
    done_template: str = "integrity/submitted.html",
) -> str:
    """Show ``form``; on a valid POST store the report with ``submit`` and show the receipt once.

    Shared by the public forms and the integrity officers' entry of reports sent by post.
    """
    token = form.keep_staging_token(evidence.new_staging_token)
    refused: list[RefusedUpload] = []
    if form.is_submitted():
        if form.website.data:
            abort(400)
        client = staging.current_client()
        for filename, data in _read_files(form.attachments.data or []):
            try:
                evidence.stage_evidence(token, filename, data, client)
            except uploads.UploadRefused as refusal:
                refused.append(RefusedUpload(filename, str(refusal_message(refusal))))
        if form.validate() and not refused:
            sizes = [attachment.size_bytes for attachment in evidence.staged_evidence(token)]
            try:
                result = submit(form.to_submission(token))
            except ReportRefused as error:
                form.show_errors(error.field_errors)
            else:
                staging.release(client, sizes)
                g.integrity_submitted = True
                # Rendered, not redirected: the receipt must never travel in a URL or cookie.
                return render_template(done_template, result=result)
    return render_template(
        template,
        form=form,
        staged=evidence.staged_evidence(token),
        refused=refused,
        max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
    )


def _intake_limit() -> str:
    return str(current_app.config["INTAKE_RATE_LIMIT"])


@bp.route("/report", methods=["GET", "POST"])
@limiter.limit(
    _intake_limit,
    key_func=anonymous_client_key,
    methods=["POST"],
    deduct_when=lambda r: bool(g.get("integrity_submitted")),
)
def report() -> str:
    """Report corruption or misconduct by the organization's staff."""
    return intake_form(ReportForm(), "integrity/report_form.html")


@bp.route("/budget", methods=["GET", "POST"])
@limiter.limit(
    _intake_limit,
    key_func=anonymous_client_key,
    methods=["POST"],
    deduct_when=lambda r: bool(g.get("integrity_submitted")),
)
def budget() -> str:
    """Staff ask, object to or complain about how the budget is spent."""
    return intake_form(BudgetForm(), "integrity/budget_form.html")


def _receipt_refused(form: ReceiptForm) -> str:
    """The one answer to a malformed, unknown, wrong or throttled receipt."""
    form.receipt.errors = [
        _("รหัสติดตามไม่ถูกต้อง หรือลองหลายครั้งเกินไป โปรดตรวจสอบตัวเลขทั้ง 20 หลัก แล้วลองใหม่ภายหลัง")
    ]
    return render_template("integrity/follow_up.html", form=form)


@bp.route("/follow-up", methods=["GET", "POST"])
@limiter.limit(
    lambda: str(current_app.config["INTEGRITY_RECEIPT_RATE_LIMIT"]),
    key_func=anonymous_client_key,
    methods=["POST"],
    deduct_when=lambda r: r.status_code != 302,
)
def follow_up() -> str | Response:
    """Enter the receipt; wrong receipts are throttled per client, no report is ever locked."""
    form = ReceiptForm()
    if form.validate_on_submit():
        try:
            opened = reporter.report_for_receipt(form.receipt.data or "")
        except ReceiptNotAccepted:
            return _receipt_refused(form)
        session[SESSION_KEY] = opened.id
        session[SESSION_NONCE] = reporter.open_reporter_session(opened)
        session[SESSION_SEEN] = int(time.time())
        return redirect(url_for(".reporter_report"))
    return render_template("integrity/follow_up.html", form=form)


@bp.errorhandler(RateLimitExceeded)
def _throttled(_error: RateLimitExceeded) -> tuple[str, int]:
    """A throttled receipt gets the same words as a wrong one; other pages the usual 429."""
    if request.endpoint == "integrity.follow_up":
        return _receipt_refused(ReceiptForm(formdata=None)), 429
    return render_error(429)


def _forget_report() -> None:
    for key in (SESSION_KEY, SESSION_NONCE, SESSION_SEEN):
        session.pop(key, None)


def _opened_report() -> IntegrityReport:
    """The report this browser opened with a receipt, or a redirect to enter it again."""
    seen = int(session.get(SESSION_SEEN, 0))
    try:
        if time.time() - seen > REPORTER_IDLE_SECONDS:
            raise ReportNotFound(None)
        opened = reporter.report_for_reporter(session.get(SESSION_KEY), session.get(SESSION_NONCE))
    except ReportNotFound:
        _forget_report()
        abort(redirect(url_for(".follow_up")))
    session[SESSION_SEEN] = int(time.time())
    return opened


@bp.get("/follow-up/report")
def reporter_report() -> str:
    """Status, messages both ways, and forms to reply and to add evidence."""
    opened = _opened_report()
    timeline = reporter.reporter_timeline(opened)
    reporter.mark_read_by_reporter(opened)
    return render_template(
        "integrity/reporter_report.html",
        report=opened,
        timeline=timeline,
        message_form=MessageForm(),
        evidence_form=EvidenceForm(),
        max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
    )


@bp.post("/follow-up/message")
def reporter_message() -> Response:
    """The reporter writes to the integrity officers."""
    opened = _opened_report()
    form = MessageForm()
    if form.validate_on_submit():
        try:
            reporter.add_reporter_message(opened, form.body.data or "")
        except ReportRefused as error:
            for message in error.field_errors.values():
                flash(str(message), "error")
        else:
            flash(_("ส่งข้อความถึงเจ้าหน้าที่แล้ว"), "ok")
    return redirect(url_for(".reporter_report"))


@bp.post("/follow-up/evidence")
def reporter_evidence() -> Response:
    """The reporter adds evidence; refused files are listed with the reason."""
    opened = _opened_report()
    form = EvidenceForm()
    if form.validate_on_submit():
        result = evidence.add_reporter_evidence(opened, _read_files(form.attachments.data or []))
        for refusal in result.refused:
            flash(f"{refusal.filename}: {refusal_message(refusal)}", "error")
        if result.accepted:
            flash(_("แนบหลักฐานเพิ่ม %(count)d ไฟล์แล้ว", count=result.accepted), "ok")
    return redirect(url_for(".reporter_report"))


@bp.get("/follow-up/proof")
def reporter_proof() -> str:
    """A printable proof of submission (never the receipt: it is not stored in clear)."""
    return render_template("integrity/proof.html", report=_opened_report())


@bp.post("/follow-up/leave")
def reporter_leave() -> Response:
    """End the reporter's session on the server and in this browser (on a shared computer)."""
    try:
        opened = reporter.report_for_reporter(session.get(SESSION_KEY), session.get(SESSION_NONCE))
    except ReportNotFound:
        pass  # nothing open (or already ended): just forget it here
    else:
        reporter.end_reporter_session(opened)
    _forget_report()
    return redirect(url_for(".index"))


def template_labels() -> dict[str, object]:
    """Labels of the integrity track's code values, for its templates only."""
    from integrity import labels

    return {
        "INTEGRITY_KIND_LABELS": labels.KIND_LABELS,
        "INTEGRITY_CHANNEL_LABELS": labels.CHANNEL_LABELS,
        "INTEGRITY_OUTCOME_LABELS": labels.OUTCOME_LABELS,
        "INTEGRITY_MESSAGE_LABELS": labels.MESSAGE_LABELS,
    }


bp.context_processor(template_labels)
