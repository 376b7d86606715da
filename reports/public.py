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
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.sql.elements import ColumnElement

from app.database import AnySession
from app.statuses import CLOSED_STATUSES
from cases.labels import CHANNEL_LABELS
from cases.models import Case, Category, Channel
from reports.labels import category_name
from reports.sql import grouped
from reports.tables import Cell, Table

RECEIVED, HANDLED, PENDING = 0, 1, 2


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
