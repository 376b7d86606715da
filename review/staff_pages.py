"""Staff screens of the general track: the queue, the case page, its actions, officer entry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.audit_text import readable
from app.auth.decorators import permission_required
from app.auth.models import User
from app.deadlines import due_state
from app.extensions import db
from app.input import db_id, parse_id
from app.links import map_links
from app.models import Department
from app.organizations.models import Organization
from app.organizations.scope import current_organization_id
from app.organizations.services import Nearness, nearness, other_active_bodies, profile_of
from app.permissions import Permission
from app.qr import qr_svg
from app.queue import STATUS_TABS
from app.screens import attempt_change, load_or_abort
from app.security import mark_private
from cases.downloads import send_attachment
from cases.errors import CaseNotFound
from cases.forwarding import body_name, forwarded_progress
from cases.intake_page import intake_page, posted_photos
from cases.models import OFFICER_ENTRY_CHANNELS, Case, Category
from cases.publication import Publication, publication_of
from cases.services import SubmittedCase
from cases.similarity import Suggestion, likely_duplicates
from cases.status_access import status_url
from cases.subscribers import subscribers_of
from review import access, audit_words, publication, reference, services
from review.errors import CaseNotVisible
from review.forms import (
    AssignForm,
    ForwardBodyForm,
    MergeForm,
    NoteForm,
    OfficerEntryForm,
    PublicationForm,
    QueueForm,
    ReplyForm,
    StatusForm,
)
from review.queue import run_queue
from review.workflow import ACTION_LABELS, CASE_WORKFLOW, STAFF_ACTIONS

bp = Blueprint("review", __name__, url_prefix="/staff")
# The file field of the reply and status forms: the officer's photos of the fix.
AFTER_PHOTOS = "after_photos"
audit_words.register()


def _user() -> User:
    return current_user._get_current_object()


def _departments() -> list[Department]:
    return list(db.session.scalars(select(Department).where(Department.active.is_(True))))


def _choices(rows: list[Any], blank: str) -> list[tuple[Any, str]]:
    return [("", blank)] + [(r.id, r.name_th) for r in rows]


@bp.get("/cases")
@permission_required(Permission.WORK_CASES)
def queue() -> str:
    """The queue: tabs per status, filters, search, sort, keyset paging."""
    form = QueueForm(formdata=request.args)
    categories = list(db.session.scalars(select(Category).order_by(Category.sort_order)))
    form.category_id.choices = _choices(categories, _("ทั้งหมด"))
    form.department_id.choices = _choices(_departments(), _("ทั้งหมด"))
    query = form.to_query()
    result = run_queue(_user(), query)
    return render_template(
        "review/queue.html",
        form=form,
        query=query,
        result=result,
        tabs=STATUS_TABS,
        due_state=due_state,
    )


def _load(case_id: int) -> Case:
    return load_or_abort(
        lambda: access.case_for_staff(_user(), case_id), (CaseNotFound,), (CaseNotVisible,)
    )


def _chosen_move() -> str:
    """The move whose template the officer picked (``?move=``), '' for a plain reply."""
    move = request.args.get("move", "")
    return move if move in STAFF_ACTIONS else ""


def _publication_form(case: Case, shown: Publication | None) -> PublicationForm:
    """The moderation form: the last public wording, else the resident's as a start to edit."""
    if shown is None:
        return PublicationForm(
            formdata=None,
            title=case.subject,
            place=case.location_text,
            show_position=True,
        )
    return PublicationForm(formdata=None, obj=shown)


def _public_photo_ids(shown: Publication | None) -> set[int]:
    """The photos ticked on the moderation form: those posted, else those public now."""
    if request.method == "POST" and request.form.get("title") is not None:
        posted = (parse_id(raw) for raw in request.form.getlist("photo"))
        return {photo_id for photo_id in posted if photo_id is not None}
    return {photo.attachment_id for photo in shown.photos} if shown else set()


def _fresh_forms(case: Case, forms: dict[str, Any]) -> dict[str, Any]:
    """The case page's forms: those posted (text kept) with the current version, others new."""
    template_id = request.args.get("template", type=db_id)
    move = _chosen_move()
    template_body = ""
    if template_id:
        chosen = [t for t in reference.reply_templates() if t.id == template_id]
        template_body = chosen[0].body if chosen else ""
    defaults = {
        "status": StatusForm(formdata=None, action=move, reason=template_body if move else ""),
        "reply": ReplyForm(formdata=None, body="" if move else template_body),
        "note": NoteForm(formdata=None),
        "assign": AssignForm(
            formdata=None, department_id=case.department_id, officer_id=case.assigned_to_id
        ),
        "merge": MergeForm(formdata=None),
        "publication": _publication_form(case, publication_of(case)),
        "forward_body": ForwardBodyForm(formdata=None),
    }
    defaults.update(forms)
    defaults["forward_body"].organization_id.choices = _receiving_bodies()
    assign = defaults["assign"]
    assign.department_id.choices = _choices(_departments(), "—")[1:]
    officers = services.assignable_officers(case.department_id)
    assign.officer_id.choices = [("", _("ไม่ระบุ"))] + [(u.id, u.display_name) for u in officers]
    for form in defaults.values():
        form.version.data = case.version
    return defaults


NEARNESS_GROUPS = {
    Nearness.SAME_DISTRICT: _l("อำเภอเดียวกัน"),
    Nearness.SAME_PROVINCE: _l("จังหวัดเดียวกัน"),
    Nearness.ELSEWHERE: _l("จังหวัดอื่น"),
}


def _receiving_bodies() -> dict[str, list[tuple[int, str]]]:
    """The bodies a case may be forwarded to, grouped nearest first (an empty dict: none)."""
    origin = db.session.get(Organization, current_organization_id(db.session))
    groups: dict[str, list[tuple[int, str]]] = {}
    if origin is None:
        return groups
    for body in other_active_bodies(db.session, origin):
        label = str(NEARNESS_GROUPS[nearness(origin, body)])
        groups.setdefault(label, []).append((body.id, profile_of(body).name))
    return groups


def _render_case(
    case: Case, http_status: int = 200, error: str = "", **forms: Any
) -> tuple[str, int]:
    """The case page with everything the resident sent; every render of it is audited.

    The plain view, the 409 after a colleague's change and the 422 after a refused action all
    show the whole record, so all of them pass here and record "case_viewed".
    """
    mark_private()
    user = _user()
    access.record_case_view(case)
    shown = publication_of(case)
    page = render_template(
        "review/case.html",
        case=case,
        publication=shown,
        public_photo_ids=_public_photo_ids(shown),
        error=error,
        forms=_fresh_forms(case, forms),
        actions=[a for a in services.available_actions(user, case) if a in STAFF_ACTIONS],
        transitions=CASE_WORKFLOW.transitions,
        action_labels=ACTION_LABELS,
        templates=reference.reply_templates(),
        templates_for_move=reference.templates_for_move,
        chosen_move=forms["status"].action.data if "status" in forms else _chosen_move(),
        map_links=map_links(case.latitude, case.longitude),
        forwarded=forwarded_progress(db.session, case),
        forwarded_from=body_name(db.session, case.forwarded_from_organization_id),
        viewers=readable(services.case_viewers(case)),
        acknowledge_state=due_state(case.acknowledge_due, case.acknowledged_at),
        answer_state=due_state(case.answer_due, case.resolved_at),
        duplicates=_suggested_duplicates(user, case),
        subscribers=subscribers_of(case.id),
        after_photos_field=AFTER_PHOTOS,
    )
    return page, http_status


def _suggested_duplicates(user: User, case: Case) -> list[Suggestion]:
    """Open cases ``case`` likely repeats (เรื่องที่อาจซ้ำกัน) that ``user`` may open and merge
    into; none once ``case`` is closed or merged itself."""
    if case.status_group != "open" or case.merged_into_id is not None:
        return []
    found = likely_duplicates(db.session, case, exclude_case_id=case.id)
    visible = access.visible_case_ids(user, [s.case_id for s in found])
    return [suggestion for suggestion in found if suggestion.case_id in visible]


@bp.get("/cases/<int:case_id>")
@permission_required(Permission.WORK_CASES)
def case_page(case_id: int) -> tuple[str, int]:
    """Everything the resident sent, the whole timeline and the actions (each view audited)."""
    return _render_case(_load(case_id))


def _attempt(
    case: Case, change: Callable[[], object], done: str, **forms: Any
) -> Response | tuple[str, int]:
    """Run ``change``; on success go back to the case, on refusal show why with the text kept."""
    return attempt_change(
        case,
        change,
        lambda status, message: _render_case(case, status, message, **forms),
        done,
        url_for(".case_page", case_id=case.id),
        forbidden=(CaseNotVisible,),
    )


@bp.post("/cases/<int:case_id>/status")
@permission_required(Permission.WORK_CASES)
def change_status(case_id: int) -> Response | tuple[str, int]:
    """Accept, start, resolve, close, reject, forward or reopen."""
    case, form = _load(case_id), StatusForm()
    if not form.validate():
        abort(400)
    return _attempt(
        case,
        lambda: services.change_status(
            _user(),
            case,
            form.action.data or "",
            form.seen_version(),
            form.reason.data or "",
            form.agency.data or "",
            posted_photos(AFTER_PHOTOS),
        ),
        _("บันทึกสถานะแล้ว"),
        status=form,
    )


@bp.post("/cases/<int:case_id>/forward-body")
@permission_required(Permission.WORK_CASES)
def forward_body(case_id: int) -> Response | tuple[str, int]:
    """Forward the case to another body on the platform (it gets a case of its own)."""
    case, form = _load(case_id), ForwardBodyForm()
    if not form.validate():
        abort(400)
    return _attempt(
        case,
        lambda: services.forward_to_body(
            _user(), case, form.organization_id.data, form.reason.data or "", form.seen_version()
        ),
        _("ส่งต่อเรื่องแล้ว"),
        forward_body=form,
    )


@bp.post("/cases/<int:case_id>/reply")
@permission_required(Permission.WORK_CASES)
def reply(case_id: int) -> Response | tuple[str, int]:
    """Send a public reply to the resident."""
    case, form = _load(case_id), ReplyForm()
    if not form.validate():
        abort(400)
    return _attempt(
        case,
        lambda: services.reply(
            _user(), case, form.body.data or "", form.seen_version(), posted_photos(AFTER_PHOTOS)
        ),
        _("ส่งคำตอบถึงผู้ร้องแล้ว"),
        reply=form,
    )


@bp.post("/cases/<int:case_id>/note")
@permission_required(Permission.WORK_CASES)
def note(case_id: int) -> Response | tuple[str, int]:
    """Add an internal note."""
    case, form = _load(case_id), NoteForm()
    if not form.validate():
        abort(400)
    return _attempt(
        case,
        lambda: services.add_note(_user(), case, form.body.data or "", form.seen_version()),
        _("บันทึกภายในแล้ว"),
        note=form,
    )


@bp.post("/cases/<int:case_id>/assign")
@permission_required(Permission.WORK_CASES)
def assign(case_id: int) -> Response | tuple[str, int]:
    """Hand the case to a department and optionally an officer."""
    case, form = _load(case_id), AssignForm()
    form.validate()
    department_id = form.department_id.data or case.department_id
    return _attempt(
        case,
        lambda: services.assign(
            _user(), case, department_id, form.officer_id.data, form.seen_version()
        ),
        _("มอบหมายงานแล้ว"),
        assign=form,
    )


@bp.post("/cases/<int:case_id>/merge")
@permission_required(Permission.WORK_CASES)
def merge(case_id: int) -> Response | tuple[str, int]:
    """Merge this case into another (a duplicate)."""
    case, form = _load(case_id), MergeForm()
    form.validate()
    return _attempt(
        case,
        lambda: services.merge(_user(), case, form.into_code.data or "", form.seen_version()),
        _("รวมเรื่องแล้ว"),
        merge=form,
    )


@bp.post("/cases/<int:case_id>/publication")
@permission_required(Permission.WORK_CASES)
def publish(case_id: int) -> Response | tuple[str, int]:
    """Publish the case (or save an edit) with public wording and redacted photos."""
    case, form = _load(case_id), PublicationForm()
    if not form.validate():
        abort(400)
    return _attempt(
        case,
        lambda: publication.publish(_user(), case, form.wording(request.form), form.seen_version()),
        _("เผยแพร่เรื่องบนหน้าสาธารณะแล้ว"),
        publication=form,
    )


@bp.post("/cases/<int:case_id>/publication/hide")
@permission_required(Permission.WORK_CASES)
def hide_publication(case_id: int) -> Response | tuple[str, int]:
    """Take the case off the public pages."""
    case, form = _load(case_id), PublicationForm()
    if not form.validate():
        abort(400)
    return _attempt(
        case,
        lambda: publication.hide(_user(), case, form.seen_version()),
        _("ซ่อนเรื่องจากหน้าสาธารณะแล้ว"),
    )


@bp.get("/cases/<int:case_id>/attachments/<int:attachment_id>")
@permission_required(Permission.WORK_CASES)
def download(case_id: int, attachment_id: int) -> Response:
    """An attachment of a case the user may see (audited): a download, or with ``?view=1`` a
    photo shown in the page (the case page's thumbnails and their large view)."""
    case = _load(case_id)
    attachment = next((a for a in case.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    access.record_download(case, attachment.id)
    return send_attachment(attachment, inline=request.args.get("view") == "1")


def _entered(result: SubmittedCase) -> Response:
    flash(_("บันทึกเรื่องแล้ว แจ้งเลขรับเรื่องหรือพิมพ์ใบรับเรื่องนี้ให้ผู้ร้อง"), "ok")
    return redirect(url_for(".receipt", case_id=result.case_id))


@bp.get("/cases/<int:case_id>/receipt")
@permission_required(Permission.WORK_CASES)
def receipt(case_id: int) -> str:
    """The printable receipt slip (ใบรับเรื่อง) of a case: code, when, what, how to follow it.

    It carries the resident's status link, so opening it is audited like the case page, and it
    exists only for cases keyed in by staff: a resident who filed on the web or LINE got the
    link themselves, and staff have no business holding it.
    """
    mark_private()
    case = _load(case_id)
    if case.channel not in OFFICER_ENTRY_CHANNELS:
        abort(404)
    access.record_case_view(case)
    link = status_url(case)
    return render_template(
        "review/receipt.html",
        case=case,
        status_link=link,
        qr_svg=qr_svg(link),
        entered_by=services.entered_by(case),
    )


@bp.route("/cases/new", methods=["GET", "POST"])
@permission_required(Permission.WORK_CASES)
def new_case() -> str | Response:
    """Key in a case that came by phone, in person, by post, the suggestion box..."""
    return intake_page(
        OfficerEntryForm(), "review/new_case.html", on_submitted=_entered, entered_by=_user()
    )
