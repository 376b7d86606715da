"""Staff pages of the reports: the six-monthly summary, its officer's text and its files."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.auth.decorators import permission_required
from app.input import BadInput, parse_int
from app.permissions import Permission, has_permission
from reports.documents import FORMATS, filename, summary_document, summary_file
from reports.errors import InvalidPeriod, UnknownMeasure
from reports.forms import MeasureForm, NoteForm
from reports.labels import digits, number
from reports.measures import MAX_MEASURE_CHARS, MeasureText
from reports.periods import Period, PeriodError
from reports.services import (
    build_summary,
    period_from_args,
    record_export,
    save_measure,
    save_note,
)

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


def _summary_page(
    period: Period,
    edited: MeasureForm | None = None,
    note: NoteForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The summary page of ``period``; ``edited`` (a measure) or ``note`` is shown as typed."""
    report = build_summary(period, with_integrity=_sees_integrity())
    forms = {
        row.position: MeasureForm(
            formdata=None, period=period.key, position=row.position, **vars(row.text)
        )
        for row in report.measures
    }
    if edited is not None and edited.position.data in {str(p) for p in forms}:
        forms[int(edited.position.data)] = edited
    page = render_template(
        "reports/summary.html",
        doc=summary_document(report, thai_digits=request.args.get("digits") == "thai"),
        period=period,
        form=note or NoteForm(formdata=None, period=period.key, narrative=report.narrative),
        note_refused=note is not None,
        measure_forms=forms,
        edited=int(edited.position.data) if edited is not None else None,
        can_edit=has_permission(current_user, Permission.WRITE_REPORTS),
        thai_digits=request.args.get("digits") == "thai",
    )
    return page, status


@bp.get("/summary")
@permission_required(Permission.READ_REPORTS)
def summary() -> tuple[str, int]:
    """The summary page: period picker, findings, measures table, statistics, exports."""
    return _summary_page(_requested_period())


def _posted_period(key: str | None) -> Period:
    try:
        return Period.from_key(key or "")
    except PeriodError:
        raise BadInput(_("ช่วงเวลาไม่ถูกต้อง")) from None


@bp.post("/summary/note")
@permission_required(Permission.WRITE_REPORTS)
def save_summary_note() -> Response | tuple[str, int]:
    """Keep the officer's findings paragraph for the period; a refused one comes back as typed."""
    form = NoteForm()
    period = _posted_period(form.period.data)
    if not form.validate_on_submit():
        flash(_("ข้อความยาวเกินไป"), "error")
        return _summary_page(period, note=form, status=400)
    save_note(period, form.narrative.data or "")
    flash(_("บันทึกผลการดำเนินงานโดยสรุปแล้ว"), "success")
    args: dict[str, Any] = period.query_args()
    return redirect(url_for(".summary", **args))


@bp.post("/summary/measures")
@permission_required(Permission.WRITE_REPORTS)
def save_summary_measure() -> Response | tuple[str, int]:
    """Keep one row of the round's measures table; a refused row comes back as typed."""
    form = MeasureForm()
    period = _posted_period(form.period.data)
    position = parse_int(form.position.data, 0, 999)
    if position is None:
        raise BadInput(_("ไม่พบมาตรการที่ต้องการแก้ไข"))
    if not form.validate_on_submit():
        flash(_("ข้อความยาวเกินไป (ไม่เกิน %(n)s ตัวอักษรต่อช่อง)", n=MAX_MEASURE_CHARS), "error")
        return _summary_page(period, edited=form, status=400)
    text = MeasureText(
        form.measure.data or "",
        form.method.data or "",
        form.result.data or "",
        form.success.data or "",
    )
    try:
        save_measure(period, position, text)
    except UnknownMeasure:
        raise BadInput(_("ไม่พบมาตรการที่ต้องการแก้ไข")) from None
    flash(_("บันทึกมาตรการแล้ว"), "success")
    args: dict[str, Any] = period.query_args()
    return redirect(url_for(".summary", **args, _anchor=f"measure-{position}"))


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
    body = summary_file(report, fmt)
    record_export(period, fmt)
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename(report, fmt)}"'
    return response
