"""Public statistics for the ITA (ข้อมูลเชิงสถิติ) and the service standards page.

Aggregate counts only: cases received, handled and pending, by channel and category, per
fiscal year. Small counts are suppressed so that nobody can be picked out of a table: a count
from 1 to ``minimum - 1`` is hidden, and so is a second cell wherever the hidden one could be
worked out from a total (received = handled + pending in a row; the rows add up to the total
row in a column).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.sql.elements import ColumnElement

from app.calendar import BUDDHIST_ERA_OFFSET, bangkok_midnight
from app.database import AnySession
from app.statuses import CLOSED_STATUSES
from cases.labels import CHANNEL_LABELS
from cases.models import Case, Category, Channel
from reports.labels import category_name, month_label
from reports.sql import grouped, local_month
from reports.tables import Cell, Table

RECEIVED, HANDLED, PENDING = 0, 1, 2

# ITA items these pages are the evidence for: (year of the criteria, item, its wording).
# The numbers change between years (O29 in 2566 became O18 in 2569 for the agencies seen in
# docs/reference); the wording is stable. No item number is printed where none was confirmed.
ITA_ITEMS = {
    "integrity": ("2569", "O18", "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
    "general": ("2569", "", "ข้อมูลเชิงสถิติเรื่องร้องเรียน ร้องทุกข์ ของหน่วยงาน"),
}


def suppress(matrix: Sequence[Sequence[int]], minimum: int) -> list[list[int | None]]:
    """``matrix`` (rows of received, handled, pending; the last row the total) with small
    counts and the cells that would reveal them replaced by None."""
    hidden = [[0 < value < minimum for value in row] for row in matrix]
    changed = True
    while changed:
        changed = _hide_in_rows(hidden) | _hide_in_columns(matrix, hidden)
    return [
        [None if hidden[r][c] else value for c, value in enumerate(row)]
        for r, row in enumerate(matrix)
    ]


def _hide_in_rows(hidden: list[list[bool]]) -> bool:
    changed = False
    for flags in hidden:
        parts = flags[HANDLED] + flags[PENDING]
        if (flags[RECEIVED] and parts < 2) or (not flags[RECEIVED] and parts == 1):
            flags[HANDLED] = flags[PENDING] = True
            changed = True
    return changed


def _hide_in_columns(matrix: Sequence[Sequence[int]], hidden: list[list[bool]]) -> bool:
    changed = False
    body = range(len(matrix) - 1)
    for column in (RECEIVED, HANDLED, PENDING):
        lone = [r for r in body if hidden[r][column]]
        # Only a single hidden count can be worked out from the total (a hidden 0 is harmless).
        if hidden[-1][column] or len(lone) != 1 or matrix[lone[0]][column] == 0:
            continue
        candidates = [r for r in body if not hidden[r][column] and matrix[r][column] > 0]
        if candidates:
            smallest = min(candidates, key=lambda r: matrix[r][column])
            hidden[smallest][column] = True
        else:
            hidden[-1][column] = True
        changed = True
    return changed


@dataclass
class YearCounts:
    """Received and handled counts of one fiscal year, in total and by channel and category."""

    fiscal_year: int
    total: tuple[int, int]
    by_channel: dict[str, tuple[int, int]]
    by_category: dict[int, tuple[int, int]]


def _measures(rows: Any) -> list[ColumnElement[Any]]:
    return [
        func.count().label("received"),
        func.coalesce(func.sum(rows.c.handled), 0).label("handled"),
    ]


def year_counts(session: AnySession, years: Sequence[int]) -> list[YearCounts]:
    """Counts of general-track cases per fiscal year (current status: handled = closed group)."""
    rows = (
        select(
            Case.fiscal_year.label("fiscal_year"),
            Case.channel.label("channel"),
            Case.category_id.label("category"),
            case((Case.status.in_([s.value for s in CLOSED_STATUSES]), 1), else_=0).label(
                "handled"
            ),
        )
        .where(Case.fiscal_year.in_(years), Case.merged_into_id.is_(None))
        .subquery("public_rows")
    )
    sets = {
        "total": ("fiscal_year",),
        "channel": ("fiscal_year", "channel"),
        "category": ("fiscal_year", "category"),
    }
    found = {year: YearCounts(year, (0, 0), {}, {}) for year in years}
    for row in grouped(session, rows, sets, _measures):
        counts, year = (int(row["received"]), int(row["handled"])), found[row["fiscal_year"]]
        if row["set"] == "total":
            year.total = counts
        elif row["set"] == "channel":
            year.by_channel[row["channel"]] = counts
        else:
            year.by_category[row["category"]] = counts
    return [found[year] for year in years]


def _triples(pairs: Sequence[tuple[int, int]]) -> list[list[int]]:
    return [[received, handled, received - handled] for received, handled in pairs]


def _masked(value: int | None, minimum: int) -> Cell:
    return f"<{minimum}" if value is None else value


def _counts_table(
    key: str,
    title: str,
    heading: str,
    names: list[str],
    pairs: list[tuple[int, int]],
    total: tuple[int, int],
    minimum: int,
) -> Table:
    matrix = suppress(_triples([*pairs, total]), minimum)
    table = Table(key, title, [heading, _("รับเรื่อง"), _("ดำเนินการแล้วเสร็จ"), _("อยู่ระหว่างดำเนินการ")])
    for name, row in zip([*names, _("รวม")], matrix, strict=True):
        table.rows.append([name, *[_masked(v, minimum) for v in row]])
    return table


def statistics_tables(
    session: AnySession, years: Sequence[int], minimum: int, categories: Sequence[Category]
) -> list[Table]:
    """Per fiscal year: counts by channel and by category, with small counts suppressed."""
    tables = []
    for year in year_counts(session, years):
        title = _("ปีงบประมาณ พ.ศ. %(year)s", year=year.fiscal_year)
        tables.append(
            _counts_table(
                f"channel-{year.fiscal_year}",
                _("%(year)s: แยกตามช่องทาง", year=title),
                _("ช่องทาง"),
                [str(CHANNEL_LABELS[c]) for c in Channel],
                [year.by_channel.get(c.value, (0, 0)) for c in Channel],
                year.total,
                minimum,
            )
        )
        tables.append(
            _counts_table(
                f"category-{year.fiscal_year}",
                _("%(year)s: แยกตามประเภทเรื่อง", year=title),
                _("ประเภทเรื่อง"),
                [category_name(c) for c in categories],
                [year.by_category.get(c.id, (0, 0)) for c in categories],
                year.total,
                minimum,
            )
        )
    return tables


def month_counts(session: AnySession, months: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(received, finished) general-track cases per (year, month) received, status as of now.

    Finished means the case's status is in the closed group; the rest are in progress.
    """
    finished = case((Case.status.in_([s.value for s in CLOSED_STATUSES]), 1), else_=0)
    first, last = months[0], months[-1]
    start = bangkok_midnight(date(first[0], first[1], 1))
    end = bangkok_midnight(_month_after(*last))
    query = (
        select(local_month(Case.received_at), func.count(), func.coalesce(func.sum(finished), 0))
        .where(Case.received_at >= start, Case.received_at < end, Case.merged_into_id.is_(None))
        .group_by(local_month(Case.received_at))
    )
    found = {month: (int(n), int(done)) for month, n, done in session.execute(query)}
    return [found.get(f"{y:04d}-{m:02d}", (0, 0)) for y, m in months]


def _month_after(year: int, month: int) -> date:
    return date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), _month_after(year, month) - timedelta(days=1)


def fiscal_months(fiscal_year: int, today: date) -> list[tuple[int, int]]:
    """The months of ``fiscal_year`` the ITA asks for: the first six (October to March),
    and the later ones up to ``today``'s month once they have begun."""
    september = fiscal_year - BUDDHIST_ERA_OFFSET
    months = [(september - 1, m) for m in (10, 11, 12)] + [(september, m) for m in range(1, 10)]
    return [ym for n, ym in enumerate(months) if n < 6 or date(ym[0], ym[1], 1) <= today]


def month_table(
    key: str,
    title: str,
    months: Sequence[tuple[int, int]],
    pairs: Sequence[tuple[int, int]],
    minimum: int,
) -> Table:
    """Received, finished and in progress per month, with the total; small counts hidden."""
    return _counts_table(
        key,
        title,
        _("เดือน"),
        [month_label(y, m) for y, m in months],
        list(pairs),
        (sum(p[0] for p in pairs), sum(p[1] for p in pairs)),
        minimum,
    )
