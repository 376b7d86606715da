"""Queue building blocks shared by every list of records staff work through.

- ``text_search``: words matched anywhere in the given columns, case-insensitively, with the
  same results on PostgreSQL (ILIKE) and SQLite (LIKE on lower()), Thai included (Thai has no
  letter case, so both backends compare it exactly).
- ``local_day_range``: a filter on a timestamp column from Thai calendar days.
- ``keyset_page``: keyset ("seek") paging. Offset paging makes the database walk past every
  skipped row, so page 5,000 of a million cases costs as much as reading them all; a keyset page
  starts from the last row seen with an index range scan, so every page costs the same.
  The price is "previous / next" links instead of page numbers, which suits a work queue.
- ``STATUS_TABS``, ``status_tab_conditions``, ``status_tab_counts``: the status tabs of a queue
  (open, each status, all) over the statuses both tracks share, each status counted up to
  ``COUNT_CAP``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    func,
    or_,
    select,
    tuple_,
)

from app.calendar import bangkok_midnight
from app.database import AnySession
from app.input import BadInput, parse_id
from app.statuses import OPEN_STATUSES, Status
from app.thai_text import search_words

MAX_SEARCH_WORDS = 8
# A status tab counts up to this many rows and past it shows "1000+": counting every case of a
# large body on each page view costs about as much as reading them (bench/platform.py: 0.5-1 s for
# a body of 1.2 M cases), while a capped count reads at most this many index entries per status.
COUNT_CAP = 1000
# Tabs of a queue: the open records (the default), each status, everything.
STATUS_TABS = ("open", *[s.value for s in Status], "all")


def like_pattern(word: str) -> str:
    """``%word%`` with LIKE's wildcards in ``word`` taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def text_search(term: str, *columns: Any) -> ColumnElement[bool] | None:
    """Every word of ``term`` must appear in at least one of ``columns``; ``None`` if blank.

    Thai is cut into words first (``app.thai_text.search_words``): "ไฟดับ" finds "ไฟถนนดับ".
    """
    # NUL cannot be written into SQL text (nor stored in a case), so it cannot match anything.
    words = search_words((term or "").replace("\x00", " "))[:MAX_SEARCH_WORDS]
    if not words:
        return None
    # The pattern is written into the SQL (escaped by SQLAlchemy), not sent as a parameter: a
    # prepared statement reused with parameters gets PostgreSQL's generic plan, which uses the
    # trigram indexes even for a word of one or two letters, where they match every row and a scan
    # is faster (bench/README.md). Seeing the word, the planner picks the index or the scan.
    return and_(
        *(
            or_(*(col.ilike(_literal(like_pattern(word)), escape="\\") for col in columns))
            for word in words
        )
    )


def _literal(value: str) -> BindParameter[str]:
    """``value`` as a string literal rendered into the statement when it runs."""
    return bindparam(None, value, type_=String(), literal_execute=True)


def local_day_range(column: Any, start: date | None, end: date | None) -> list[ColumnElement[bool]]:
    """Conditions keeping ``column`` within Thai calendar days ``start``..``end`` (inclusive)."""
    conditions = []
    if start is not None:
        conditions.append(column >= bangkok_midnight(start))
    if end is not None:
        conditions.append(column < bangkok_midnight(end + timedelta(days=1)))
    return conditions


@dataclass(frozen=True)
class SortOrder:
    """Columns to sort by, the last being the unique id that breaks ties; one direction."""

    columns: tuple[Any, ...]
    descending: bool = False


@dataclass(frozen=True)
class Page:
    """One page of a keyset-paged list; cursors are opaque strings for the links."""

    items: list[Any]
    next_cursor: str | None
    prev_cursor: str | None


@dataclass(frozen=True)
class TabCounts:
    """How many rows each status tab holds; a tab in ``capped`` holds at least that many."""

    counts: dict[str, int] = field(default_factory=dict)
    capped: frozenset[str] = frozenset()

    def shown(self, tab: str) -> str:
        """The count as the tab shows it: ``"1000+"`` when capped."""
        return f"{self.counts.get(tab, 0)}{'+' if tab in self.capped else ''}"


@dataclass
class QueueResult:
    """One page of a queue and the count behind each status tab."""

    page: Page
    tabs: TabCounts = field(default_factory=TabCounts)


def _parse_cursor(cursor: str | None) -> tuple[str, int] | None:
    """``("n", id)`` or ``("p", id)`` from a pager link; ``None`` for the first page.

    A cursor is only ever made by ``keyset_page``: anything else (an id beyond the database's
    integers, a typo) is refused rather than silently showing the first page.
    """
    if not cursor:
        return None
    row_id = parse_id(cursor[2:]) if cursor[:2] in ("n.", "p.") else None
    if row_id is None:
        raise BadInput(_l("ลิงก์ไปหน้าถัดไปไม่ถูกต้อง กรุณาเริ่มจากหน้าแรกของรายการ"))
    return cursor[0], row_id


def _boundary(session: AnySession, order: SortOrder, row_id: int) -> tuple[Any, ...] | None:
    row = session.execute(select(*order.columns).where(order.columns[-1] == row_id)).one_or_none()
    return tuple(row) if row is not None else None


def keyset_page(
    session: AnySession, stmt: Select[Any], order: SortOrder, cursor: str | None, size: int
) -> Page:
    """The page of ``stmt`` (a filtered select of one entity) after or before ``cursor``."""
    parsed = _parse_cursor(cursor)
    backwards = parsed is not None and parsed[0] == "p"
    boundary = _boundary(session, order, parsed[1]) if parsed else None
    key = tuple_(*order.columns)
    forward_desc = order.descending != backwards  # the direction rows are read in
    if boundary is not None:
        stmt = stmt.where(key < boundary if forward_desc else key > boundary)
    stmt = stmt.order_by(*(c.desc() if forward_desc else c.asc() for c in order.columns))
    rows = list(session.scalars(stmt.limit(size + 1)))
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = (not backwards and more) or (backwards and boundary is not None)
    has_prev = (backwards and more) or (not backwards and boundary is not None)
    ids = [_row_id(r, order) for r in rows]
    return Page(
        items=rows,
        next_cursor=f"n.{ids[-1]}" if rows and has_next else None,
        prev_cursor=f"p.{ids[0]}" if rows and has_prev else None,
    )


def _row_id(row: Any, order: SortOrder) -> int:
    return int(getattr(row, order.columns[-1].key))


def status_tab_conditions(column: Any, tab: str) -> list[ColumnElement[bool]]:
    """Conditions on the status ``column`` keeping the rows of ``tab``.

    No conditions for "all" or for a tab that does not exist: a caller wanting another default
    picks it first.
    """
    if tab == "open":
        return [column.in_(OPEN_STATUSES)]
    if tab in Status.__members__.values():
        return [column == tab]
    return []


def status_tab_counts(
    session: AnySession,
    column: Any,
    conditions: Sequence[ColumnElement[bool]],
    cap: int | None = COUNT_CAP,
) -> TabCounts:
    """How many rows satisfying ``conditions`` each status tab holds, each status up to ``cap``.

    One statement of a limited count per status: each reads at most ``cap + 1`` rows of its
    status, in order from an index that starts with the status (after the organization).
    ``cap=None`` counts exactly, in one grouped pass over the rows: for conditions that find
    their few rows by an index of their own (a search), which a count per status would repeat
    once per status. "open" and "all" add up their statuses, and are capped when one of them is.
    """
    statuses = [status.value for status in Status]
    if cap is None:
        grouped = _grouped_count(session, column, conditions)
        counts = {status: grouped.get(status, 0) for status in statuses}
        capped: set[str] = set()
    else:
        limited = select(*(_limited_count(column, s, conditions, cap) for s in statuses))
        found = dict(zip(statuses, session.execute(limited).one(), strict=True))
        counts = {status: min(count, cap) for status, count in found.items()}
        capped = {status for status, count in found.items() if count > cap}
    for tab, members in (("open", OPEN_STATUSES), ("all", frozenset(statuses))):
        counts[tab] = sum(counts[s] for s in members)
        if capped & members:
            capped.add(tab)
    return TabCounts(counts, frozenset(capped))


def _grouped_count(
    session: AnySession, column: Any, conditions: Sequence[ColumnElement[bool]]
) -> dict[str, int]:
    stmt = select(column, func.count()).where(*conditions).group_by(column)
    return {str(value): int(count) for value, count in session.execute(stmt)}


def _limited_count(
    column: Any, status: str, conditions: Sequence[ColumnElement[bool]], cap: int
) -> Any:
    """``min(rows of status, cap + 1)`` as a scalar subquery."""
    rows = select(column).where(column == status, *conditions).limit(cap + 1).subquery()
    return select(func.count()).select_from(rows).scalar_subquery()


def query_url(**changes: Any) -> str:
    """The current page's URL with some query arguments changed (``None`` removes one).

    Registered as a template global: the links of tabs, filters and pagers.
    """
    args: dict[str, Any] = request.args.to_dict()
    args.update(changes)
    kept = {k: v for k, v in args.items() if v not in (None, "")}
    return url_for(request.endpoint or "auth.home", **(request.view_args or {}), **kept)
