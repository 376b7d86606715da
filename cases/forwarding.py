"""Cases handed from one body to another on the same platform (ส่งต่อหน่วยงานในระบบ).

The receiving body gets a case of its own: its own tracking code, category and due dates, the
resident's contact and a copy of each file (its own retention then applies to them). The sending
body keeps its case, forwarded, and sees only the status of the case over there; the resident's
original link also shows that case's public timeline, its progress and replies.

Both sides work in the other body's scope only through ``crossing_into`` and only here: what is
read there is handed back as plain values (``ForwardedProgress``), never as rows that could be
loaded further in the wrong scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, uploads
from app.database import AnySession
from app.models import utcnow
from app.organizations.models import Organization
from app.organizations.scope import crossing_into
from app.organizations.services import profile_of
from cases.messages import notify_officers_of_new_case
from cases.models import Attachment, Case, Category
from cases.services import CaseSubmission, new_case_row, received_event


class NoCategoryThere(LookupError):
    """The receiving body has no active category to file the case under."""


# How many onward hand-offs the resident's link follows (each body may forward it again).
MAX_HOPS = 5


@dataclass(frozen=True)
class PublicEntry:
    """One public timeline entry of the case at the receiving body."""

    created_at: datetime
    type: str
    to_status: str | None
    body: str


@dataclass(frozen=True)
class ForwardedProgress:
    """Where a forwarded case is handled now and how it goes there."""

    organization_name: str
    status: str
    status_group: str
    answer_due: date
    timeline: tuple[PublicEntry, ...]


def body_name(session: AnySession, organization_id: int | None) -> str:
    """The name a body's pages show (the installation's name for an unnamed single body)."""
    organization = session.get(Organization, organization_id) if organization_id else None
    return profile_of(organization).name if organization is not None else ""


def forwarded_progress(session: AnySession, case: Case) -> ForwardedProgress | None:
    """How the case that ``case`` was forwarded to goes, following onward hand-offs; None if
    ``case`` was not forwarded to a body on the platform."""
    progress = None
    organization_id, case_id = case.forwarded_to_organization_id, case.forwarded_to_case_id
    for _hop in range(MAX_HOPS):
        if organization_id is None or case_id is None:
            break
        with crossing_into(session, organization_id):
            there = session.scalar(select(Case).where(Case.id == case_id))
            if there is None:
                break
            progress = ForwardedProgress(
                organization_name=body_name(session, organization_id),
                status=there.status,
                status_group=there.status_group,
                answer_due=there.answer_due,
                timeline=tuple(
                    PublicEntry(e.created_at, e.type, e.to_status, e.body)
                    for e in there.events
                    if e.is_public
                ),
            )
            organization_id, case_id = (
                there.forwarded_to_organization_id,
                there.forwarded_to_case_id,
            )
    return progress


def _category_there(session: AnySession, code: str) -> Category | None:
    """The receiving body's active category of the same code, else its "other", else its first."""
    active = list(
        session.scalars(
            select(Category).where(Category.active.is_(True)).order_by(Category.sort_order)
        )
    )
    by_code = {c.code: c for c in active}
    return by_code.get(code) or by_code.get("other") or (active[0] if active else None)


def receive_forwarded(session: AnySession, case: Case, origin_id: int, target_id: int) -> Case:
    """Make ``case``'s counterpart at body ``target_id`` (in the caller's transaction).

    Its own code and due dates from now, by its own category of the same kind; the resident's
    contact and a copy of each file; a public timeline entry and an audit entry saying where it
    came from; its officers told of a new case. The resident hears once, from the sending
    body's change (the forward); what the receiving body does next reaches them from it.
    """
    files = [
        (a, uploads.file_path(_upload_dir(), a.stored_name).read_bytes()) for a in case.attachments
    ]
    code, category_code, origin_name = case.code, case.category.code, body_name(session, origin_id)
    with crossing_into(session, target_id):
        category = _category_there(session, category_code)
        if category is None:
            raise NoCategoryThere(target_id)
        there = new_case_row(session, _resubmission(case), category)
        there.forwarded_from_organization_id = origin_id
        there.privacy_notice_version = case.privacy_notice_version
        session.add(there)
        session.flush()
        for attachment, data in files:
            session.add(_copy(attachment, there, data))
        note = _l("รับเรื่องส่งต่อจาก %(body)s (เลขรับเรื่องเดิม %(code)s)", body=origin_name, code=code)
        session.add(received_event(there, str(note)))
        audit.record(
            "case_received_forwarded",
            target_type="case",
            target_id=there.id,
            detail={"from_organization_id": origin_id},
        )
        notify_officers_of_new_case(session, there)
    return there


def _upload_dir() -> str:
    return str(current_app.config["UPLOAD_DIR"])


def _resubmission(case: Case) -> CaseSubmission:
    """What the receiving body files: the resident's words and contact, received now."""
    return CaseSubmission(
        kind=case.kind,
        channel=case.channel,
        category_id=None,
        subject=case.subject,
        details=case.details,
        location_text=case.location_text,
        latitude=case.latitude,
        longitude=case.longitude,
        contact_name=case.contact_name,
        contact_phone=case.contact_phone,
        contact_email=case.contact_email,
        line_user_id=case.line_user_id,
        privacy_acknowledged=bool(case.privacy_notice_version),
        received_at=utcnow(),
    )


def _copy(attachment: Attachment, there: Case, data: bytes) -> Attachment:
    """A file of its own for the receiving body: each body's retention deletes only its copy."""
    stored_name, digest = uploads.write_file(_upload_dir(), data)
    return Attachment(
        case_id=there.id,
        stored_name=stored_name,
        original_name=attachment.original_name,
        content_type=attachment.content_type,
        size_bytes=attachment.size_bytes,
        sha256=digest,
        metadata_stripped=attachment.metadata_stripped,
    )
