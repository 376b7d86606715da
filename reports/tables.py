"""A summary as labelled tables: the one shape the web page, PDF, XLSX and CSV all render.

Cells are plain values (text, whole numbers, numbers rounded for reading, or None for "no
figure"); each output formats them its own way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from cases.labels import CHANNEL_LABELS, KIND_LABELS
from cases.models import CaseKind, Channel
from reports.labels import (
    STAGE_LABELS,
    STAGES,
    at_least,
    category_name,
    day_label,
    month_label,
)
from reports.summary import DayFigures, Figures, SummaryData

Cell = str | int | float | None


@dataclass
class Table:
    """A titled table of rows under column headings."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    chart_labels: list[str] | None = None  # shorter labels where a chart needs them


def _round(value: float | None, decimals: int = 1) -> float | None:
    return None if value is None else round(value, decimals)


def _received(groups: dict[Any, Figures], key: Any) -> int:
    return groups[key].received if key in groups else 0


def overview_table(data: SummaryData) -> Table:
    """The headline figures of the period beside the two comparison periods."""
    total, days = data.figures.total, data.days
    stages = data.figures.groups["stage"]
    stage_rows: list[list[Cell]] = [[str(STAGE_LABELS[s]), _received(stages, s)] for s in STAGES]
    rows: list[list[Cell]] = [
        [_("เรื่องที่ได้รับในรอบนี้"), total.received],
        [_("เรื่องที่ได้รับในรอบก่อนหน้า"), data.previous_total],
        [_("เรื่องที่ได้รับในช่วงเดียวกันของปีก่อน"), data.year_before_total],
        *stage_rows,
        [_("ตอบรับเรื่องภายในกำหนด (ร้อยละ)"), _round(total.ack_pct)],
        [_("แจ้งผลภายในกำหนด (ร้อยละ)"), _round(total.answer_pct)],
        [_("ครึ่งหนึ่งของเรื่องตอบรับภายใน (วันทำการ)"), at_least(days.ack_median)],
        [_("เก้าในสิบของเรื่องตอบรับภายใน (วันทำการ)"), at_least(days.ack_p90)],
        [_("ครึ่งหนึ่งของเรื่องแจ้งผลภายใน (วันทำการ)"), at_least(days.answer_median)],
        [_("เก้าในสิบของเรื่องแจ้งผลภายใน (วันทำการ)"), at_least(days.answer_p90)],
        [_("เรื่องที่เกินกำหนด ณ สิ้นรอบ"), data.overdue_total],
        [_("จำนวนผู้ประเมินความพึงพอใจ"), total.rated],
        [_("คะแนนความพึงพอใจเฉลี่ย (เต็ม 5)"), _round(total.rating_mean, 2)],
    ]
    return Table("overview", _("ภาพรวม"), [_("รายการ"), _("จำนวน")], rows)


def _simple(key: str, title: str, heading: str, rows: list[tuple[str, int]]) -> Table:
    return Table(key, title, [heading, _("จำนวนเรื่อง")], [[name, count] for name, count in rows])


def channel_table(data: SummaryData) -> Table:
    """Cases received by channel (every channel, zeros included)."""
    groups = data.figures.groups["channel"]
    rows = [(str(CHANNEL_LABELS[c]), _received(groups, c.value)) for c in Channel]
    return _simple("channel", _("แยกตามช่องทาง"), _("ช่องทาง"), rows)


def kind_table(data: SummaryData) -> Table:
    """Cases received by kind."""
    groups = data.figures.groups["kind"]
    rows = [(str(KIND_LABELS[k]), _received(groups, k.value)) for k in CaseKind]
    return _simple("kind", _("แยกตามลักษณะเรื่อง"), _("ลักษณะเรื่อง"), rows)


def month_table(data: SummaryData) -> Table:
    """Cases received by month of the period."""
    groups = data.figures.groups["month"]
    months = data.period.months()
    rows = [(month_label(y, m), _received(groups, f"{y:04d}-{m:02d}")) for y, m in months]
    table = _simple("month", _("แยกตามเดือน"), _("เดือน"), rows)
    table.chart_labels = [month_label(y, m, short=True) for y, m in months]
    return table


def stage_table(data: SummaryData) -> Table:
    """Where the period's cases stood at its end."""
    groups = data.figures.groups["stage"]
    rows = [(str(STAGE_LABELS[s]), _received(groups, s)) for s in STAGES]
    title = _("สถานะ ณ วันที่ %(day)s", day=day_label(data.as_of))
    return _simple("stage", title, _("สถานะ"), rows)


def _per_group(
    table: Table,
    groups: dict[Any, Figures],
    named: dict[int, Any],
    cells: Callable[[int, Figures], list[Cell]],
) -> Table:
    """``table`` with a row per category or department, zeros included: the name, then ``cells``."""
    for gid, item in named.items():
        table.rows.append([category_name(item), *cells(gid, groups.get(gid, Figures()))])
    return table


def category_table(data: SummaryData) -> Table:
    """Cases by category, with both comparisons and timeliness."""
    columns = [
        _("ประเภทเรื่อง"),
        _("รอบนี้"),
        _("รอบก่อนหน้า"),
        _("ช่วงเดียวกันของปีก่อน"),
        _("ตอบรับภายในกำหนด (%)"),
        _("แจ้งผลภายในกำหนด (%)"),
    ]

    def cells(cid: int, figures: Figures) -> list[Cell]:
        return [
            figures.received,
            data.previous_by_category.get(cid, 0),
            data.year_before_by_category.get(cid, 0),
            _round(figures.ack_pct),
            _round(figures.answer_pct),
        ]

    table = Table("category", _("แยกตามประเภทเรื่อง"), columns)
    return _per_group(table, data.figures.groups["category"], data.categories, cells)


def department_table(data: SummaryData) -> Table:
    """Cases by department, with timeliness and working days to answer."""
    columns = [
        _("หน่วยงาน"),
        _("จำนวนเรื่อง"),
        _("ตอบรับภายในกำหนด (%)"),
        _("แจ้งผลภายในกำหนด (%)"),
        _("ครึ่งหนึ่งแจ้งผลภายใน (วันทำการ)"),
        _("เก้าในสิบแจ้งผลภายใน (วันทำการ)"),
    ]

    def cells(did: int, figures: Figures) -> list[Cell]:
        days = data.days_by_department.get(did, DayFigures())
        return [
            figures.received,
            _round(figures.ack_pct),
            _round(figures.answer_pct),
            at_least(days.answer_median),
            at_least(days.answer_p90),
        ]

    table = Table("department", _("แยกตามหน่วยงานที่รับผิดชอบ"), columns)
    return _per_group(table, data.figures.groups["department"], data.departments, cells)


def satisfaction_tables(data: SummaryData) -> list[Table]:
    """The distribution of ratings, and the count and mean by category."""
    ratings = data.figures.groups["rating"]
    distribution = Table(
        "ratings",
        _("ความพึงพอใจ: จำนวนผู้ประเมินแยกตามคะแนน"),
        [_("คะแนน"), _("จำนวนผู้ประเมิน")],
        [[score, _received(ratings, score)] for score in (5, 4, 3, 2, 1)],
    )
    groups = data.figures.groups["category"]
    by_category = Table(
        "ratings_by_category",
        _("ความพึงพอใจแยกตามประเภทเรื่อง"),
        [_("ประเภทเรื่อง"), _("จำนวนผู้ประเมิน"), _("คะแนนเฉลี่ย")],
    )
    for cid, category in data.categories.items():
        figures = groups.get(cid, Figures())
        if figures.rated:
            by_category.rows.append(
                [category_name(category), figures.rated, _round(figures.rating_mean, 2)]
            )
    return [distribution, by_category]


def overdue_table(data: SummaryData) -> Table:
    """The overdue cases, longest overdue first (codes only: no names, no text)."""
    table = Table(
        "overdue",
        _("เรื่องที่เกินกำหนด ณ วันที่ %(day)s", day=day_label(data.as_of)),
        [_("เลขรับเรื่อง"), _("ประเภทเรื่อง"), _("หน่วยงาน"), _("กำหนดแจ้งผล"), _("เกินกำหนด (วันทำการ)")],
    )
    for case in data.overdue:
        table.rows.append(
            [
                case.code,
                category_name(data.categories[case.category_id]),
                category_name(data.departments[case.department_id]),
                day_label(case.answer_due, short=True),
                case.days_overdue,
            ]
        )
    return table


def terms_table(data: SummaryData) -> Table:
    """The most frequent words of the residents' text."""
    rows: list[list[Cell]] = [[term.word, term.count] for term in data.terms]
    return Table("terms", _("คำที่พบบ่อยในเรื่องที่ได้รับ"), [_("คำ"), _("จำนวนครั้ง")], rows)


def summary_tables(data: SummaryData) -> list[Table]:
    """Every table of the summary, in reading order."""
    return [
        overview_table(data),
        channel_table(data),
        kind_table(data),
        category_table(data),
        department_table(data),
        month_table(data),
        stage_table(data),
        *satisfaction_tables(data),
        overdue_table(data),
        terms_table(data),
    ]
