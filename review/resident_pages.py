"""The resident's actions on the status page: rate the answer, reopen the case once.

The forms post to token-free URLs under ``/track/<code>``; access comes from the cookie that
opening the status link granted (``cases.status_access``).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app.extensions import limiter
from app.workflow import WorkflowError
from cases.errors import CaseNotFound
from cases.intake_page import posted_photos
from cases.models import Case
from cases.status_access import case_for_access
from review import services

bp = Blueprint("resident", __name__)


def _case(code: str) -> Case:
    try:
        return case_for_access(code)
    except CaseNotFound:
        abort(404)


def _back(case: Case) -> Response:
    return redirect(url_for("cases.status_page", code=case.code), code=303)


@bp.post("/track/<code>/rate")
@limiter.limit(lambda: current_app.config["TRACK_RATE_LIMIT"])
def rate(code: str) -> Response:
    """Rate the answer 1–5 with an optional comment."""
    case = _case(code)
    try:
        services.rate(case, request.form.get("rating", type=int), request.form.get("comment", ""))
    except WorkflowError as error:
        flash(error.message, "error")
    else:
        flash(_("ขอบคุณสำหรับความเห็นของท่าน"), "ok")
    return _back(case)


@bp.post("/track/<code>/reopen")
@limiter.limit(lambda: current_app.config["TRACK_RATE_LIMIT"])
def reopen(code: str) -> Response:
    """Ask for the case to be worked again because the problem is back (with photos of it)."""
    case = _case(code)
    try:
        services.resident_reopen(
            case, request.form.get("reason", ""), posted_photos("reopen_photos")
        )
    except WorkflowError as error:
        flash(error.message, "error")
    else:
        flash(_("เปิดเรื่องอีกครั้งแล้ว เจ้าหน้าที่จะดำเนินการต่อ"), "ok")
    return _back(case)


@bp.app_context_processor
def _resident_checks() -> dict[str, object]:
    return {
        "resident_can_rate": services.resident_can_rate,
        "resident_can_reopen": services.resident_can_reopen,
    }
