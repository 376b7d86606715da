"""Changes to a case: status, replies, notes, assignment, merging, the resident's rating, reopening.

Each function checks who may do it, applies the change through the case workflow, writes the
timeline entry, the audit entry and any message to the resident, and commits — all or nothing.
Changes carry the version of the case the officer saw: if someone else changed it since, the
change is refused with ``app.workflow.ConcurrentChange`` instead of silently overwriting their work.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit
from app.auth.models import User
from app.extensions import db
from app.models import Department, utcnow
from app.organizations.models import Organization
from app.organizations.scope import current_organization_id
from app.permissions import Permission, has_permission
from app.statuses import Status
from app.tracking import normalise_code
from app.uploads import UploadRefused, refusal_message
from app.workflow import AppliedTransition, change_transaction
from cases import forwarding
from cases.messages import notify_resident
from cases.models import Attachment, AttachmentPurpose, Case, CaseEvent, EventType
from cases.services import attach_photos, check_photos, discard_files
from review.access import can_see
from review.errors import CaseNotVisible, InvalidChange
from review.workflow import CASE_WORKFLOW, RESIDENT

REPLY_MAX = 5000
RESIDENT_REOPEN_DAYS = 30


# --- the shape of every change ---


@contextmanager
def _change(
    case: Case,
    expected_version: int | None,
    photos: Sequence[tuple[str, bytes]] = (),
    purpose: str = AttachmentPurpose.AFTER,
) -> Iterator[None]:
    """Run a change of ``case`` as one transaction guarded by the version the user saw.

    ``photos`` (file name, bytes) are checked first (``InvalidChange`` names a refused one) and
    attached in the same transaction; their files are removed again if it fails.
    """
    try:
        checked = check_photos(photos)
    except UploadRefused as refused:
        reason = refusal_message(refused)
        raise InvalidChange(
            _l("ไม่รับไฟล์ %(name)s: %(reason)s", name=refused.filename, reason=reason)
        ) from refused
    added: list[Attachment] = []
    try:
        with change_transaction(case, expected_version):
            added = attach_photos(db.session, case, checked, purpose)
            yield
    except BaseException:
        discard_files(added)
        raise


def _event(case: Case, author: User | None, type_: EventType, **fields: object) -> CaseEvent:
    event = CaseEvent(case=case, author_id=author.id if author else None, type=type_, **fields)
    db.session.add(event)
    return event


# What each target status stamps on the case.
def _stamp(case: Case, applied: AppliedTransition) -> None:
    now = utcnow()
    target = applied.to_status
    if target != Status.RECEIVED and case.acknowledged_at is None:
        case.acknowledged_at = now  # any first move tells the resident the case is handled
    if target == Status.RESOLVED:
        case.resolved_at = now
    if target in (Status.CLOSED, Status.REJECTED, Status.FORWARDED):
        case.closed_at = now
        case.resolved_at = case.resolved_at or now
    if applied.action in ("reopen", "resident_reopen"):
        case.resolved_at = None
        case.closed_at = None
        case.reopen_count += 1


def _status_body(applied: AppliedTransition) -> str:
    fields = applied.fields
    if applied.action == "forward":
        text = str(_l("ส่งต่อให้: %(agency)s", agency=fields["agency"]))
        return f"{text}\n{fields['reason']}" if fields.get("reason") else text
    return fields.get("reason", "")


def _record_transition(case: Case, author: User | None, applied: AppliedTransition) -> None:
    _stamp(case, applied)
    _event(
        case,
        author,
        EventType.REOPENED if "reopen" in applied.action else EventType.STATUS_CHANGED,
        is_public=True,
        body=_status_body(applied),
        from_status=applied.from_status,
        to_status=applied.to_status,
    )
    audit.record(
        "case_status_changed",
        target_type="case",
        target_id=case.id,
        detail={"action": applied.action, "from": applied.from_status, "to": applied.to_status},
        actor=author,
    )
    notify_resident(db.session, case, "case_status_changed", status=applied.to_status)


def change_status(
    user: User,
    case: Case,
    action: str,
    expected_version: int | None,
    reason: str = "",
    agency: str = "",
    photos: Sequence[tuple[str, bytes]] = (),
) -> AppliedTransition:
    """Move ``case`` by ``action`` (accept, start, resolve, close, reject, forward, reopen),
    with the officer's ``photos`` of the fix (after photos), if any."""
    if not can_see(user, case):
        raise CaseNotVisible()
    with _change(case, expected_version, photos):
        applied = CASE_WORKFLOW.apply(case, action, user.roles, reason=reason, agency=agency)
        _record_transition(case, user, applied)
    return applied


def forward_to_body(
    user: User,
    case: Case,
    organization_id: int | None,
    reason: str,
    expected_version: int | None,
) -> Case:
    """Forward ``case`` to another body on the platform; return the case made there.

    The same move, and so the same permission, as forwarding to an outside agency, named after
    the body; the receiving body's case is made in the same transaction (``cases.forwarding``).
    """
    if not can_see(user, case):
        raise CaseNotVisible()
    origin_id = current_organization_id(db.session)
    target = db.session.get(Organization, organization_id) if organization_id else None
    if target is None or not target.active:
        raise InvalidChange(_l("กรุณาเลือกหน่วยงานในระบบที่เปิดให้บริการอยู่"))
    if origin_id is None or target.id == origin_id:
        raise InvalidChange(_l("ส่งต่อให้หน่วยงานของท่านเองไม่ได้"))
    name = forwarding.body_name(db.session, target.id)
    with _change(case, expected_version):
        # Refused moves stop here, before anything is written at the other body.
        CASE_WORKFLOW.check(case.status, "forward", user.roles, {"agency": name})
        try:
            there = forwarding.receive_forwarded(db.session, case, origin_id, target.id)
        except forwarding.NoCategoryThere:
            raise InvalidChange(_l("หน่วยงานที่เลือกยังไม่มีหมวดเรื่อง จึงรับเรื่องไม่ได้")) from None
        case.forwarded_to_organization_id = target.id
        case.forwarded_to_case_id = there.id
        applied = CASE_WORKFLOW.apply(case, "forward", user.roles, reason=reason, agency=name)
        _record_transition(case, user, applied)
        audit.record(
            "case_forwarded",
            target_type="case",
            target_id=case.id,
            detail={"organization_id": target.id},
        )
    return there


def _text(body: str, empty_message: object) -> str:
    body = (body or "").strip()
    if not body:
        raise InvalidChange(empty_message)
    if len(body) > REPLY_MAX:
        raise InvalidChange(_l("ข้อความยาวเกิน 5,000 ตัวอักษร"))
    return body


def reply(
    user: User,
    case: Case,
    body: str,
    expected_version: int | None,
    photos: Sequence[tuple[str, bytes]] = (),
) -> CaseEvent:
    """A public reply: shown on the status page and sent to the resident's LINE or e-mail, with
    the officer's after ``photos``, if any."""
    if not can_see(user, case):
        raise CaseNotVisible()
    body = _text(body, _l("กรุณาพิมพ์ข้อความตอบกลับ"))
    with _change(case, expected_version, photos):
        event = _event(case, user, EventType.REPLY, is_public=True, body=body)
        audit.record("case_replied", target_type="case", target_id=case.id)
        notify_resident(db.session, case, "case_reply", body=body)
    return event


def add_note(user: User, case: Case, body: str, expected_version: int | None) -> CaseEvent:
    """An internal note: never shown to the resident."""
    if not can_see(user, case):
        raise CaseNotVisible()
    body = _text(body, _l("กรุณาพิมพ์บันทึก"))
    with _change(case, expected_version):
        event = _event(case, user, EventType.NOTE, is_public=False, body=body)
        audit.record("case_note_added", target_type="case", target_id=case.id)
    return event


def assignable_officers(department_id: int) -> list[User]:
    """Active officers of a department, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(User.departments)
            .where(Department.id == department_id, User.active.is_(True))
            .order_by(User.display_name)
        )
    )


def assign(
    user: User,
    case: Case,
    department_id: int,
    officer_id: int | None,
    expected_version: int | None,
) -> None:
    """Hand ``case`` to a department and optionally one of its officers.

    Officers may name a colleague of the case's department; moving a case to another department
    is for supervisors.
    """
    if not can_see(user, case):
        raise CaseNotVisible()
    if department_id != case.department_id and not has_permission(user, Permission.MOVE_CASES):
        raise CaseNotVisible(_l("เฉพาะหัวหน้าส่วนเท่านั้นที่โอนเรื่องไปหน่วยงานอื่นได้"))
    department = db.session.get(Department, department_id)
    if department is None or not department.active:
        raise InvalidChange(_l("ไม่พบหน่วยงานนี้"))
    officer = None
    if officer_id is not None:
        officer = db.session.get(User, officer_id)
        if officer is None or officer not in assignable_officers(department_id):
            raise InvalidChange(_l("เจ้าหน้าที่ท่านนี้ไม่ได้อยู่ในหน่วยงานที่เลือก"))
    with _change(case, expected_version):
        case.department_id = department.id
        case.assigned_to_id = officer.id if officer else None
        who = f" · {officer.display_name}" if officer else ""
        _event(case, user, EventType.ASSIGNED, is_public=False, body=f"{department.name_th}{who}")
        audit.record(
            "case_assigned",
            target_type="case",
            target_id=case.id,
            detail={"department_id": department.id, "officer_id": officer_id},
        )


def merge(user: User, duplicate: Case, into_code: str, expected_version: int | None) -> Case:
    """Merge ``duplicate`` into the case with ``into_code``; both codes keep working."""
    if not can_see(user, duplicate):
        raise CaseNotVisible()
    target = db.session.scalar(select(Case).where(Case.code == normalise_code(into_code)))
    if target is None or target.id == duplicate.id or target.merged_into_id is not None:
        raise InvalidChange(_l("ไม่พบเรื่องที่จะรวมเข้าด้วย (ตรวจเลขรับเรื่องอีกครั้ง)"))
    if not can_see(user, target):
        raise CaseNotVisible()
    with _change(duplicate, expected_version):
        applied = CASE_WORKFLOW.apply(duplicate, "merge", user.roles, into=target.code)
        _stamp(duplicate, applied)
        duplicate.merged_into_id = target.id
        _event(
            duplicate,
            user,
            EventType.MERGED,
            is_public=True,
            body=str(_l("รวมกับเรื่อง %(code)s", code=target.code)),
            from_status=applied.from_status,
            to_status=applied.to_status,
        )
        _event(
            target,
            user,
            EventType.MERGED,
            is_public=False,
            body=str(_l("รวมเรื่อง %(code)s เข้ามา", code=duplicate.code)),
        )
        target.last_activity_at = utcnow()
        audit.record(
            "case_merged",
            target_type="case",
            target_id=duplicate.id,
            detail={"into": target.id},
        )
        notify_resident(db.session, duplicate, "case_status_changed", status=Status.CLOSED)
    return target


# --- the resident's side (from the status page) ---


def resident_can_rate(case: Case) -> bool:
    """A resolved or closed case that has not been rated yet (a merged one is handled elsewhere)."""
    return (
        case.status in (Status.RESOLVED, Status.CLOSED)
        and case.rating is None
        and case.merged_into_id is None
    )


def _resident_reopened(case: Case) -> bool:
    return any(e.type == EventType.REOPENED and e.author_id is None for e in case.events)


def resident_can_reopen(case: Case) -> bool:
    """Once per case, within 30 days of the answer, when the problem is back (never merged)."""
    if case.status not in (Status.RESOLVED, Status.CLOSED) or case.resolved_at is None:
        return False
    if case.merged_into_id is not None:
        return False
    within = utcnow() - case.resolved_at <= timedelta(days=RESIDENT_REOPEN_DAYS)
    return within and not _resident_reopened(case)


def rate(case: Case, rating: int | None, comment: str) -> None:
    """The resident's 1–5 rating of the answer, with an optional comment, given once."""
    if not resident_can_rate(case):
        raise InvalidChange(_l("ให้คะแนนได้เมื่อเรื่องดำเนินการแล้วเสร็จ และให้ได้ครั้งเดียว"))
    if rating not in range(1, 6):
        raise InvalidChange(_l("กรุณาเลือกคะแนน 1 ถึง 5"))
    comment = (comment or "").strip()[:1000]
    with _change(case, None):
        case.rating = rating
        case.rating_comment = comment
        case.rated_at = utcnow()
        _event(case, None, EventType.RATED, is_public=True, body=f"{rating}/5")


def resident_reopen(case: Case, reason: str, photos: Sequence[tuple[str, bytes]] = ()) -> None:
    """The resident says the problem is back (not fixed): the case returns to the queue (once,
    30 days), with their ``photos`` of it, if any."""
    if not resident_can_reopen(case):
        raise InvalidChange(_l("เปิดเรื่องอีกครั้งได้ครั้งเดียว ภายใน 30 วันหลังแจ้งผล"))
    with _change(case, None, photos, AttachmentPurpose.RESIDENT):
        applied = CASE_WORKFLOW.apply(case, "resident_reopen", {RESIDENT}, reason=reason)
        _record_transition(case, None, applied)


# Kept for the screens: the available staff actions of a case for a user.
def available_actions(user: User, case: Case) -> list[str]:
    """Names of the workflow actions ``user`` may take on ``case`` now."""
    return [t.action for t in CASE_WORKFLOW.allowed(case.status, user.roles)]


VIEWERS_SHOWN = 50


def case_viewers(case: Case) -> list[audit.AuditEntry]:
    """Who opened or changed ``case`` (its audit entries), newest first, for the case page."""
    return list(
        db.session.scalars(
            select(audit.AuditEntry)
            .where(
                audit.AuditEntry.target_type == "case",
                audit.AuditEntry.target_id == str(case.id),
            )
            .order_by(audit.AuditEntry.id.desc())
            .limit(VIEWERS_SHOWN)
        )
    )


def entered_by(case: Case) -> User | None:
    """The officer who keyed ``case`` in (its ``case_entered`` audit entry), or ``None``."""
    user_id = db.session.scalar(
        select(audit.AuditEntry.user_id)
        .where(
            audit.AuditEntry.action == "case_entered",
            audit.AuditEntry.target_type == "case",
            audit.AuditEntry.target_id == str(case.id),
        )
        .limit(1)
    )
    return db.session.get(User, user_id) if user_id else None
