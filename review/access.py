"""Who may see which case: one definition, in SQL, for the queue and for every case page.

Every view of a case's personal data is audited (``record_case_view``, ``record_download``).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from app import audit
from app.auth.models import User
from app.database import unit_of_work
from app.extensions import db
from app.permissions import Permission, has_permission
from cases.errors import CaseNotFound
from cases.models import Case
from review.errors import CaseNotVisible


def visibility(user: User) -> ColumnElement[bool]:
    """SQL condition: the cases ``user`` may see. The one definition: the queue filters with it
    and ``can_see`` asks the database with it."""
    if has_permission(user, Permission.SEE_EVERY_CASE):
        # A constant, not a column test: the queue's tab counts are then read from an index
        # alone (PostgreSQL before 17 checks ``id IS NOT NULL`` on each row it fetches).
        return true()
    if has_permission(user, Permission.WORK_CASES):
        return or_(Case.department_id.in_(user.department_ids), Case.assigned_to_id == user.id)
    return false()


def can_see(user: User, case: Case) -> bool:
    """Whether ``user`` may open ``case``: ``visibility`` applied to that one case."""
    seen = db.session.scalar(select(Case.id).where(Case.id == case.id, visibility(user)))
    return seen is not None


def visible_case_ids(user: User, case_ids: list[int]) -> set[int]:
    """Those of ``case_ids`` that ``user`` may open (one query)."""
    if not case_ids:
        return set()
    found = db.session.scalars(select(Case.id).where(Case.id.in_(case_ids), visibility(user)))
    return set(found)


def case_for_staff(user: User, case_id: int) -> Case:
    """The case ``case_id`` if ``user`` may see it; ``CaseNotFound`` / ``CaseNotVisible``."""
    # A query, not ``session.get``: a row already in the session's identity map (read in another
    # body's scope by the same session) would come back without the organization's criteria.
    case = db.session.scalar(select(Case).where(Case.id == case_id))
    if case is None:
        raise CaseNotFound(str(case_id))
    if not can_see(user, case):
        raise CaseNotVisible()
    return case


def record_case_view(case: Case) -> None:
    """Audit that the signed-in user saw ``case``'s personal data."""
    with unit_of_work(db.session):
        audit.record("case_viewed", target_type="case", target_id=case.id)


def record_download(case: Case, attachment_id: int) -> None:
    """Audit that the signed-in user downloaded one of ``case``'s attachments."""
    with unit_of_work(db.session):
        audit.record(
            "attachment_downloaded",
            target_type="case",
            target_id=case.id,
            detail={"attachment_id": attachment_id},
        )
