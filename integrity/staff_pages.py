"""Integrity officers' screens: their own queue, the report page, actions, officer entry.

Only holders of ``Permission.WORK_INTEGRITY`` pass the guard here; ``integrity.casework``
checks the permission again, so a route added without the guard still cannot show content.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from flask import Blueprint, abort, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.audit_text import readable
from app.auth.decorators import permission_required
from app.auth.models import User
from app.deadlines import due_state
from app.permissions import Permission
from app.queue import STATUS_TABS
from app.screens import attempt_change, load_or_abort
from app.security import SANDBOX_POLICY, mark_private
from integrity import audit_words, casework
from integrity.errors import (
    ReportNotFound,
    ReportNotVisible,
    ReportRefused,
)
from integrity.forms import MessageForm, NoteForm, OfficerEntryForm, QueueForm, StatusForm
from integrity.models import IntegrityReport
from integrity.public_pages import intake_form, template_labels
from integrity.workflow import ACTION_LABELS

bp = Blueprint("integrity_staff", __name__, url_prefix="/integrity/staff")
audit_words.register()
bp.context_processor(template_labels)


@bp.before_request
def _private() -> None:
    mark_private()


def _user() -> User:
    return current_user._get_current_object()


def _load(report_id: int) -> IntegrityReport:
    return load_or_abort(
        lambda: casework.report_for_officer(_user(), report_id),
        (ReportNotFound,),
        (ReportNotVisible,),
    )


@bp.get("/")
@permission_required(Permission.WORK_INTEGRITY)
def queue() -> str:
    """The integrity officers' own queue: tabs per status, filters, keyset paging."""
    form = QueueForm(formdata=request.args)
    query = casework.QueueQuery(
        tab=form.tab.data or "open",
        kind=form.kind.data or "",
        overdue=bool(form.overdue.data),
        code=form.code.data or "",
        sort=form.sort.data or "due",
        cursor=request.args.get("cursor"),
    )
    result = casework.run_queue(_user(), query)
    return render_template(
        "integrity/staff/queue.html",
        form=form,
        query=query,
        result=result,
        tabs=STATUS_TABS,
        due_state=due_state,
    )


def _render_report(
    report: IntegrityReport,
    http_status: int = 200,
    error: str = "",
    posted: FlaskForm | None = None,
) -> tuple[str, int]:
    """The report page with its whole content; every render of it is audited.

    The plain view and the 409/422 re-renders after a refused action all show the reporter's
    text, so all of them record "integrity_report_viewed" (before "who looked" is listed).
    ``posted`` is the form of a refused action: shown again with what the officer typed.
    """
    user = _user()
    casework.record_view(user, report)
    forms: dict[str, FlaskForm] = {
        "status_form": StatusForm(formdata=None),
        "message_form": MessageForm(formdata=None),
        "note_form": NoteForm(formdata=None),
    }
    if posted is not None:
        forms[_FORM_NAMES[type(posted)]] = posted
    page = render_template(
        "integrity/staff/report.html",
        report=report,
        error=error,
        names=casework.staff_names(report.messages),
        viewers=readable(casework.viewers(user, report)),
        actions=casework.available_actions(user, report),
        action_labels=ACTION_LABELS,
        acknowledge_state=due_state(report.acknowledge_due, report.acknowledged_at),
        answer_state=due_state(report.answer_due, report.closed_at),
        **forms,
    )
    return page, http_status


_FORM_NAMES = {StatusForm: "status_form", MessageForm: "message_form", NoteForm: "note_form"}


@bp.get("/reports/<int:report_id>")
@permission_required(Permission.WORK_INTEGRITY)
def report_page(report_id: int) -> tuple[str, int]:
    """Everything the reporter sent, the timeline, who looked, and the actions (audited)."""
    return _render_report(_load(report_id))


@bp.get("/reports/<int:report_id>/evidence/<int:attachment_id>")
@permission_required(Permission.WORK_INTEGRITY)
def evidence(report_id: int, attachment_id: int) -> Response:
    """Download one evidence file, decrypted, as a download that never renders (audited)."""
    report = _load(report_id)
    try:
        attachment, data = casework.evidence_for_download(_user(), report, attachment_id)
    except ReportNotFound:
        abort(404)
    response = send_file(
        io.BytesIO(data),
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = SANDBOX_POLICY
    return response


def _attempt(
    report: IntegrityReport, change: Callable[[], object], done: str, posted: FlaskForm
) -> Response | tuple[str, int]:
    """Run ``change``; on success back to the report, on refusal say why and keep the text."""
    return attempt_change(
        report,
        change,
        lambda status, message: _render_report(report, status, message, posted),
        done,
        url_for(".report_page", report_id=report.id),
        refusals=(ReportRefused,),
    )


@bp.post("/reports/<int:report_id>/status")
@permission_required(Permission.WORK_INTEGRITY)
def change_status(report_id: int) -> Response | tuple[str, int]:
    """Accept, start, close with an outcome, reject or reopen."""
    report, form = _load(report_id), StatusForm()
    if not form.validate():
        abort(400)
    return _attempt(
        report,
        lambda: casework.change_status(
            _user(),
            report,
            form.action.data or "",
            form.reason.data or "",
            form.outcome.data or "",
            form.seen_version(),
        ),
        _("บันทึกสถานะแล้ว"),
        form,
    )


@bp.post("/reports/<int:report_id>/message")
@permission_required(Permission.WORK_INTEGRITY)
def message(report_id: int) -> Response | tuple[str, int]:
    """Write to the anonymous reporter (read with the receipt)."""
    report, form = _load(report_id), MessageForm()
    if not form.validate():
        abort(400)
    return _attempt(
        report,
        lambda: casework.write_to_reporter(_user(), report, form.body.data or ""),
        _("ส่งข้อความถึงผู้แจ้งแล้ว"),
        form,
    )


@bp.post("/reports/<int:report_id>/note")
@permission_required(Permission.WORK_INTEGRITY)
def note(report_id: int) -> Response | tuple[str, int]:
    """Add an internal note."""
    report, form = _load(report_id), NoteForm()
    if not form.validate():
        abort(400)
    return _attempt(
        report,
        lambda: casework.add_note(_user(), report, form.body.data or "", form.seen_version()),
        _("บันทึกภายในแล้ว"),
        form,
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.WORK_INTEGRITY)
def new_report() -> str:
    """Record a report received by post or in person; the receipt is shown to hand over."""
    return intake_form(
        OfficerEntryForm(),
        "integrity/staff/new.html",
        submit=lambda submission: casework.enter_report(_user(), submission),
        done_template="integrity/staff/entered.html",
    )
