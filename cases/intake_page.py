"""The intake page the web forms share: the form, its staged files, submitting, the receipt."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response as WerkzeugResponse

from app import staging, uploads
from app.auth.models import User
from app.extensions import db, limiter
from app.uploads import RefusedUpload, refusal_message
from cases.errors import CaseNotFound, IntakeError
from cases.forms import CaseForm
from cases.models import Category
from cases.services import (
    CaseSubmission,
    SubmittedCase,
    new_staging_token,
    stage_attachment,
    staged_attachments,
    submit_case,
    validate_submission,
)
from cases.status_access import redirect_to_status_page
from cases.subscribers import PublicCase, suggest_duplicates, support_case


def category_choices() -> list[tuple[int | str, str]]:
    """Active categories in their display order, labelled in the current language."""
    categories = db.session.scalars(
        select(Category).where(Category.active.is_(True)).order_by(Category.sort_order)
    )
    english = str(get_locale()) == "en"
    return [("", "— เลือก —" if not english else "— choose —")] + [
        (c.id, c.name_en if english else c.name_th) for c in categories
    ]


def _stage_files(
    files: list[FileStorage], token: str, keep_metadata: bool, client: str
) -> list[RefusedUpload]:
    refused = []
    for file in files:
        if not file or not file.filename:
            continue
        try:
            stage_attachment(token, file.filename, file.read(), keep_metadata, client)
        except uploads.UploadRefused as refusal:
            refused.append(RefusedUpload(file.filename, str(refusal_message(refusal))))
        finally:
            file.close()  # large uploads are spooled to temporary files
    return refused


def posted_photos(name: str) -> list[tuple[str, bytes]]:
    """The files posted in the form field ``name``, as (file name, bytes), for ``check_photos``."""
    photos = []
    for file in request.files.getlist(name):
        if file and file.filename:
            photos.append((file.filename, file.read()))
        file.close()  # large uploads are spooled to temporary files
    return photos


def _show_receipt(result: SubmittedCase) -> WerkzeugResponse:
    return redirect_to_status_page(result.case_id, result.code, new=True, status=302)


def _intake_unavailable(form: CaseForm, template: str) -> WerkzeugResponse:
    """No category to choose (reference data never seeded): the phone number, not a dead form."""
    current_app.logger.error("no active categories: residents cannot file; run 'flask seed'")
    page = render_template(template, form=form, no_categories=True, staged=[], refused=[])
    return make_response(page, 503)


def _submit(submission: CaseSubmission, client: str, entered_by: User | None) -> SubmittedCase:
    """Store the case; its staged files no longer count towards the client's staging limit."""
    sizes = [attachment.size_bytes for attachment in staged_attachments(submission.staging_token)]
    result = submit_case(submission, entered_by)
    staging.release(client, sizes)
    return result


def _duplicates_step(form: CaseForm, submission: CaseSubmission) -> list[PublicCase]:
    """Open cases this submission likely repeats; when there are any, the form is shown again
    with them (everything typed kept, the files staged) and the next send files the case."""
    validate_submission(db.session, submission)
    suggestions = suggest_duplicates(submission)
    if suggestions:
        form.duplicates_shown.data = "1"
    return suggestions


def _support_instead(form: CaseForm) -> WerkzeugResponse:
    """The resident chose an open case of the same problem: support it instead of filing."""
    supporter = support_case(form.support_code.data or "", form.to_supporter())
    flash(
        _(
            "ขอบคุณค่ะ บันทึกว่าท่านแจ้งเหมือนกันกับเรื่องเลขรับเรื่อง %(code)s แล้ว"
            " ท่านจะได้รับแจ้งความคืบหน้าทางช่องทางที่ให้ไว้",
            code=supporter.case.code,
        ),
        "ok",
    )
    return redirect(url_for("cases.home"), code=302)


def intake_page(
    form: CaseForm,
    template: str,
    on_submitted: Callable[[SubmittedCase], WerkzeugResponse] = _show_receipt,
    entered_by: User | None = None,
) -> str | WerkzeugResponse:
    """Show ``form``; on POST stage its files and hand it to the intake service.

    Files that pass the checks are kept under the form's staging token, so a resident who must
    fix a field does not choose them again; refused files are listed with the reason. A resident
    whose valid form likely repeats open cases is shown them once first (``_duplicates_step``)
    and may support one instead (``support_code``); officers keying a case in never are.
    ``on_submitted`` answers a stored case (by default: the receipt on the status page);
    ``entered_by`` is the officer keying in a case that came another way.
    """
    form.category_id.choices = category_choices()
    if len(form.category_id.choices) == 1:
        return _intake_unavailable(form, template)
    token = form.keep_staging_token(new_staging_token)
    refused: list[RefusedUpload] = []
    suggestions: list[PublicCase] = []
    if form.is_submitted():
        if form.website.data:
            abort(400)
        client = staging.current_client()
        keep_metadata = bool(form.share_location.data)
        refused = _stage_files(form.attachments.data or [], token, keep_metadata, client)
        if form.validate():
            submission = form.to_submission(token)
            try:
                if refused:
                    # Keep the resident on the form to decide about the refused files, but
                    # report every other mistake now rather than one round later.
                    validate_submission(db.session, submission)
                elif entered_by is None and form.support_code.data:
                    return _support_instead(form)
                elif entered_by is None and not form.duplicates_shown.data:
                    suggestions = _duplicates_step(form, submission)
                if not refused and not suggestions:
                    return on_submitted(_submit(submission, client, entered_by))
            except IntakeError as error:
                form.show_errors(error.field_errors)
                if form.support_code.data:  # the choice stays open while they fix their details
                    suggestions = suggest_duplicates(submission)
            except CaseNotFound:
                # The case was closed or merged while the resident read the list: file theirs.
                form.duplicates_shown.data = ""
                flash(_("เรื่องที่เลือกปิดไปแล้ว กรุณาส่งเรื่องของท่าน"), "error")
    return render_template(
        template,
        form=form,
        suggestions=suggestions,
        staged=staged_attachments(token),
        refused=refused,
        max_upload_mb=current_app.config["MAX_UPLOAD_MB"],
        max_attachments=current_app.config["MAX_ATTACHMENTS"],
    )


def register_intake_page(bp: Blueprint, form_class: type[CaseForm], template: str) -> None:
    """Add ``/new`` to ``bp``: the form page for one family of case kinds.

    Only successful submissions count towards the per-IP limit, so a resident correcting
    mistakes is never locked out of their own half-typed case.
    """

    def new() -> str | WerkzeugResponse:
        return intake_page(form_class(), template)

    # Flask-Limiter keys a route's counter by the function's name: give each blueprint its own.
    new.__name__ = new.__qualname__ = f"new_{bp.name}"
    new.__doc__ = form_class.__doc__
    limited = limiter.limit(
        lambda: current_app.config["INTAKE_RATE_LIMIT"],
        methods=["POST"],
        deduct_when=lambda response: response.status_code == 302,
    )(new)
    bp.add_url_rule("/new", "new", limited, methods=["GET", "POST"])
