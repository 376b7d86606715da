"""The officers' queue: one list of complaints and feedback, filtered, searched, sorted, paged.

Paging is keyset paging (``app.queue.keyset_page``): each sort order is backed by an index
ending in the case id, so every page is an index range scan whatever its depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import selectinload

from app.auth.models import User
from app.calendar import today_in_thailand
from app.deadlines import overdue_condition
from app.extensions import db
from app.queue import (
    COUNT_CAP,
    STATUS_TABS,
    QueueResult,
    SortOrder,
    keyset_page,
    local_day_range,
    status_tab_conditions,
    status_tab_counts,
)
from cases.models import Case
from cases.search import matching_cases
from review.access import visibility

PAGE_SIZE = 25
SORTS = {
    "due": SortOrder((Case.answer_due, Case.id)),
    "received": SortOrder((Case.received_at, Case.id), descending=True),
    "activity": SortOrder((Case.last_activity_at, Case.id), descending=True),
}


@dataclass
class QueueQuery:
    """What the officer asked for; every field optional."""

    tab: str = "open"
    kind: str = ""
    category_id: int | None = None
    department_id: int | None = None
    channel: str = ""
    mine: bool = False
    overdue: bool = False
    received_from: date | None = None
    received_to: date | None = None
    q: str = ""
    sort: str = "due"
    cursor: str | None = None


def _filters(user: User, query: QueueQuery) -> list[ColumnElement[bool]]:
    """Every condition but the tab's status and the search: the tabs count over these."""
    conditions: list[Any] = [visibility(user)]
    if query.kind:
        conditions.append(Case.kind == query.kind)
    if query.category_id:
        conditions.append(Case.category_id == query.category_id)
    if query.department_id:
        conditions.append(Case.department_id == query.department_id)
    if query.channel:
        conditions.append(Case.channel == query.channel)
    if query.mine:
        conditions.append(Case.assigned_to_id == user.id)
    if query.overdue:
        conditions.append(overdue_condition(Case, today_in_thailand()))
    conditions.extend(local_day_range(Case.received_at, query.received_from, query.received_to))
    return conditions


def run_queue(user: User, query: QueueQuery, size: int = PAGE_SIZE) -> QueueResult:
    """The page of cases ``user`` may see that match ``query``, with the tab counts."""
    conditions = _filters(user, query)
    search = matching_cases(db.session, query.q)
    if search is not None:
        conditions.append(search)
    # An unknown tab shows the open cases, the default.
    tab = status_tab_conditions(Case.status, query.tab if query.tab in STATUS_TABS else "open")
    stmt = (
        select(Case)
        .where(*conditions, *tab)
        .options(selectinload(Case.category), selectinload(Case.assigned_to))
    )
    page = keyset_page(db.session, stmt, SORTS.get(query.sort, SORTS["due"]), query.cursor, size)
    # A search finds its cases by its own indexes: counted once, exactly, not once per status.
    cap = COUNT_CAP if search is None else None
    tabs = status_tab_counts(db.session, Case.status, conditions, cap)
    return QueueResult(page=page, tabs=tabs)
