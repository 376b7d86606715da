"""Oversight's pages on the platform: the area's bodies side by side, one body, the files.

Only oversight accounts open them, only on the platform's own pages; a body outside the
account's area is not found, exactly like one that does not exist.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.calendar import today_in_thailand
from app.extensions import db
from app.input import BadInput
from app.platform.access import platform_account_required, signed_in_platform_account
from app.platform.models import AccountKind, PlatformAccount
from app.security import mark_private
from reports.oversight import (
    ROLLUP_FORMATS,
    bodies_in_area,
    body_table,
    record_rollup_export,
    rollup_document,
    rollup_file,
    rollup_filename,
)
from reports.periods import Period, PeriodError
from reports.rollup import rollup

bp = Blueprint("oversight", __name__, url_prefix="/platform/oversight")
oversight_only = platform_account_required(AccountKind.OVERSIGHT)


def _account() -> PlatformAccount:
    account = signed_in_platform_account()
    assert account is not None  # the guard let only an oversight account in
    return account


def _round(strict: bool) -> Period:
    """The round asked for (``fy``, ``round``), else the last complete one.

    A page falls back with a message; a file refuses (a file of another round than the one
    asked for would be a silent wrong answer).
    """
    if not request.args.get("fy"):
        return Period.containing(today_in_thailand()).previous()
    try:
        return Period.round_from_text(request.args["fy"], request.args.get("round") or "1")
    except PeriodError:
        if strict:
            raise BadInput(_("รอบรายงานไม่ถูกต้อง")) from None
        flash(_("รอบรายงานไม่ถูกต้อง จึงแสดงรอบล่าสุดแทน"), "error")
        return Period.containing(today_in_thailand()).previous()


@bp.get("/")
@oversight_only
def overview() -> str:
    """Every body of the area side by side for the chosen round, with the area's total."""
    mark_private()
    period = _round(strict=False)
    document = rollup_document(db.session, _account(), period, today_in_thailand())
    return render_template(
        "reports/oversight.html",
        doc=document,
        period=period,
        bodies=bodies_in_area(db.session, _account()),
        this_year=Period.containing(today_in_thailand()).fiscal_year,
    )


@bp.get("/bodies/<slug>")
@oversight_only
def body(slug: str) -> str:
    """One body of the area: its figures this round and in the round before."""
    mark_private()
    found = next((b for b in bodies_in_area(db.session, _account()) if b.slug == slug), None)
    if found is None:
        abort(404)
    period = _round(strict=False)
    today = today_in_thailand()
    rounds = [(p, rollup(db.session, [found.id], p, today)) for p in (period, period.previous())]
    return render_template(
        "reports/oversight_body.html", table=body_table(found.name_th or found.slug, rounds)
    )


@bp.get("/rollup.<fmt>")
@oversight_only
def rollup_download(fmt: str) -> Response:
    """The area's six-monthly roll-up as a PDF or XLSX download (audited)."""
    if fmt not in ROLLUP_FORMATS:
        abort(404)
    period = _round(strict=True)
    document = rollup_document(db.session, _account(), period, today_in_thailand())
    body = rollup_file(document, fmt)
    record_rollup_export(period.key, fmt, len(document.rollup.bodies))
    response = Response(body, mimetype=ROLLUP_FORMATS[fmt])
    disposition = f'attachment; filename="{rollup_filename(document, fmt)}"'
    response.headers["Content-Disposition"] = disposition
    return response
