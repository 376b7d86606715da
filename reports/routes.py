"""Staff pages of the reports: the six-monthly summary, its officer's text and its files."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.decorators import permission_required
from app.input import BadInput
from app.permissions import Permission, has_permission
from reports.documents import FORMATS, filename, summary_document, summary_file
from reports.errors import InvalidPeriod, NoteTooLong
from reports.forms import NoteForm
from reports.labels import digits, number
from reports.periods import Period, PeriodError
from reports.services import build_summary, period_from_args, record_export, save_note

bp = Blueprint("reports", __name__, url_prefix="/reports")

# Executives read; the officers and supervisors who prepare the report also edit its text.


def _sees_integrity() -> bool:
    """The corruption track's counts appear only to some readers."""
    return has_permission(current_user, Permission.READ_INTEGRITY_COUNTS)


@bp.app_template_filter("num")
def num_filter(value: float | None, decimals: int | None = 0, thai_digits: bool = False) -> str:
    """``{{ value|num(1, thai_digits) }}``: a figure with separators, Thai digits on request."""
    return number(value, decimals, thai_digits)


@bp.app_template_filter("digits")
def digits_filter(text: object, thai_digits: bool = False) -> str:
    """``{{ text|digits(thai_digits) }}``: text with Thai digits on request."""
    return digits(str(text), thai_digits)


def _requested_period() -> Period:
    try:
        return period_from_args(request.args)
    except InvalidPeriod:
        flash(_("ช่วงเวลาไม่ถูกต้อง จึงแสดงรอบล่าสุดแทน"), "error")
        return period_from_args({})


@bp.get("/summary")
@permission_required(Permission.READ_REPORTS)
def summary() -> str:
    """The summary page: period picker, narrative, tables, charts and the export links."""
    period = _requested_period()
    report = build_summary(period, with_integrity=_sees_integrity())
    form = NoteForm(period=period.key, narrative=report.narrative, measures=report.measures)
    return render_template(
        "reports/summary.html",
        doc=summary_document(report),
        period=period,
        form=form,
        can_edit=has_permission(current_user, Permission.WRITE_REPORTS),
        thai_digits=request.args.get("digits") == "thai",
    )


@bp.post("/summary/note")
@permission_required(Permission.WRITE_REPORTS)
def save_summary_note() -> Response:
    """Keep the officer's narrative and measures for the period, then show the summary."""
    form = NoteForm()
    try:
        period = Period.from_key(form.period.data or "")
    except PeriodError:
        abort(400)
    if not form.validate_on_submit():
        abort(400)
    try:
        save_note(period, form.narrative.data or "", form.measures.data or "")
    except NoteTooLong:
        flash(_("ข้อความยาวเกินไป"), "error")
    else:
        flash(_("บันทึกบทสรุปและมาตรการแล้ว"), "success")
    args: dict[str, Any] = period.query_args()
    return redirect(url_for(".summary", **args))


@bp.get("/summary.<fmt>")
@permission_required(Permission.READ_REPORTS)
def export_summary(fmt: str) -> Response:
    """The summary as a PDF, XLSX or CSV download (recorded in the audit log)."""
    if fmt not in FORMATS:
        abort(404)
    try:
        # A file of another period than the one asked for would be a silent wrong answer.
        period = period_from_args(request.args)
    except InvalidPeriod:
        raise BadInput(_("ช่วงเวลาไม่ถูกต้อง")) from None
    report = build_summary(period, with_integrity=_sees_integrity())
    body = summary_file(report, fmt, thai_digits=request.args.get("digits") == "thai")
    record_export(period, fmt)
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(report, fmt)}"'
    return response
