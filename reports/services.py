"""The reports capability's services: build a summary, keep the officer's text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import audit
from app.calendar import bangkok_midnight, fiscal_year_be, local_date, today_in_thailand
from app.database import unit_of_work
from app.extensions import db
from app.organizations.services import organization_profile
from cases.models import Case, Category
from reports.errors import InvalidPeriod, NoteTooLong, UnknownMeasure
from reports.integrity import IntegrityCounts, integrity_year_table
from reports.measures import (
    MAX_MEASURE_CHARS,
    STARTING_ROWS,
    MeasureRow,
    MeasureText,
    figure_text,
)
from reports.models import ReportMeasure, ReportNote
from reports.narrative import generate_narrative
from reports.periods import Period, PeriodError
from reports.statistics import (
    fiscal_months,
    month_bounds,
    month_counts,
    month_table,
    statistics_tables,
)
from reports.summary import SummaryData, compute_summary
from reports.tables import Table

if TYPE_CHECKING:
    from integrity.counts import HandlingStandard

MAX_NOTE_CHARS = 20_000
PUBLIC_YEARS = 3  # the current fiscal year and the two before it


@dataclass
class Summary:
    """A six-monthly summary: the figures, the generated paragraph and the officer's text."""

    data: SummaryData
    generated_narrative: str
    note: ReportNote | None
    integrity: IntegrityCounts | None = None  # only for integrity officers and executives
    measures: list[MeasureRow] = field(default_factory=list)

    @property
    def narrative(self) -> str:
        """The officer's edited paragraph if saved, else the generated one."""
        return (
            self.note.narrative if self.note and self.note.narrative else self.generated_narrative
        )


def period_from_args(args: Mapping[str, str], today: date | None = None) -> Period:
    """The period a request asks for: ``fy`` and ``round``, or ``start`` and ``end`` (ISO dates).

    With neither, the latest round up to today that has cases (the one an officer reports
    on), or the round before today's on an installation without any case yet.
    """
    try:
        if args.get("start") or args.get("end"):
            return Period.from_text(args.get("start", ""), args.get("end", ""))
        if args.get("fy"):
            return Period.round_from_text(args["fy"], args.get("round") or "1")
    except PeriodError as exc:
        raise InvalidPeriod(str(exc)) from exc
    return latest_round_with_cases(today or today_in_thailand())


def latest_round_with_cases(today: date) -> Period:
    """The last round, up to the one containing ``today``, in which any case was received.

    Today's round counts only once it has cases; without any case, the round before today's.
    """
    latest = db.session.scalar(
        select(Case.received_at)
        .where(Case.merged_into_id.is_(None), Case.received_at < _day_after(today))
        .order_by(Case.received_at.desc())
        .limit(1)
    )
    if latest is None:
        return Period.containing(today).previous()
    return Period.containing(local_date(latest))


def _day_after(day: date) -> datetime:
    return bangkok_midnight(day + timedelta(days=1))


def build_summary(
    period: Period, today: date | None = None, with_integrity: bool = False
) -> Summary:
    """Every figure of ``period``, with its generated narrative and any saved officer's note.

    ``with_integrity`` adds the corruption track's counts (for integrity officers and
    executives only: the caller decides from the reader's roles).
    """
    today = today or today_in_thailand()
    # A read, but it may fill the working-day calendar (``ensure_working_days``): committed here.
    with unit_of_work(db.session) as session:
        data = compute_summary(
            session,
            period,
            today,
            term_sample=current_app.config["REPORT_TERM_SAMPLE"],
            org_name=organization_profile().name,
        )
        note = session.scalar(select(ReportNote).where(ReportNote.period_key == period.key))
        narrative = generate_narrative(data, organization_profile().name)
        integrity = integrity_counts(period.start, period.end) if with_integrity else None
        rows = measure_rows(period)
        for row in rows:
            row.figures = figure_text(row.figure, data, integrity)
    return Summary(data, narrative, note, integrity, rows)


def integrity_counts(first: date, last: date) -> IntegrityCounts:
    """Counts of corruption reports received from ``first`` to ``last`` (never any content).

    The only use of the integrity track in reports: its own counting function.
    """
    from integrity.counts import counts_by

    return IntegrityCounts.from_counts(counts_by(first, last))


def integrity_standard() -> HandlingStandard:
    """The corruption track's time limits and receipt length, from the track itself."""
    from integrity.counts import handling_standard

    return handling_standard()


def save_note(period: Period, narrative: str) -> ReportNote:
    """Keep the officer's findings paragraph for ``period`` (replacing earlier text)."""
    narrative = narrative.strip()
    if len(narrative) > MAX_NOTE_CHARS:
        raise NoteTooLong(str(MAX_NOTE_CHARS))
    with unit_of_work(db.session) as session:
        note = session.scalar(select(ReportNote).where(ReportNote.period_key == period.key))
        if note is None:
            note = ReportNote(period_key=period.key)
            session.add(note)
        note.narrative = narrative
    return note


def _saved_measures(key: str) -> list[ReportMeasure]:
    query = (
        select(ReportMeasure)
        .where(ReportMeasure.period_key == key)
        .order_by(ReportMeasure.position)
    )
    return list(db.session.scalars(query))


def _starting_key(period: Period) -> str | None:
    """The latest round before ``period`` with saved measures (its carried-over start)."""
    # A round starts from an earlier round; a date range from the round it ends in, or earlier.
    before = period.start if period.is_round else Period.containing(period.end).end
    rounds = []
    for key in db.session.scalars(select(ReportMeasure.period_key).distinct()):
        try:
            saved = Period.from_key(key)
        except PeriodError:
            continue
        if saved.is_round and saved.start <= before and saved.key != period.key:
            rounds.append(saved)
    return max(rounds, key=lambda p: p.start).key if rounds else None


def measure_rows(period: Period) -> list[MeasureRow]:
    """The measures table of ``period``: its saved rows, else a starting set (not saved).

    The starting set is the latest earlier round's rows, or ``STARTING_ROWS`` when no round
    has any: each round reports on the same measures, edited for what was done in it.
    """
    saved = _saved_measures(period.key)
    if not saved:
        source = _starting_key(period)
        saved = _saved_measures(source) if source else []
    if saved:
        return [
            MeasureRow(
                m.position,
                m.indicator,
                m.figure,
                MeasureText(m.measure, m.method, m.result, m.success),
            )
            for m in saved
        ]
    return [
        MeasureRow(position, indicator, figure, MeasureText(**vars(text)))
        for position, (indicator, figure, text) in enumerate(STARTING_ROWS)
    ]


def save_measure(period: Period, position: int, text: MeasureText) -> None:
    """Keep the officers' text of row ``position`` of ``period``'s measures table.

    The first edit of a round stores its whole starting set, so the other rows stay as they
    were shown. Raises ``UnknownMeasure`` for a row the table does not have, ``NoteTooLong``
    for text longer than a cell can hold.
    """
    cleaned = MeasureText(*(value.strip() for value in vars(text).values()))
    if any(len(value) > MAX_MEASURE_CHARS for value in vars(cleaned).values()):
        raise NoteTooLong(str(MAX_MEASURE_CHARS))
    with unit_of_work(db.session) as session:
        saved = {m.position: m for m in _saved_measures(period.key)}
        if not saved:
            for row in measure_rows(period):
                saved[row.position] = ReportMeasure(
                    period_key=period.key,
                    position=row.position,
                    indicator=row.indicator,
                    figure=row.figure,
                    **vars(row.text),
                )
                session.add(saved[row.position])
        if position not in saved:
            raise UnknownMeasure(str(position))  # the starting set is not kept either
        for name, value in vars(cleaned).items():
            setattr(saved[position], name, value)
        audit.record(
            "report.measure_saved",
            target_type="report",
            target_id=period.key,
            detail={"position": position},
        )


def record_export(period: Period, fmt: str) -> None:
    """Write who downloaded which summary, in which format, to the audit log."""
    with unit_of_work(db.session):
        audit.record(
            "report.exported", target_type="report", target_id=period.key, detail={"format": fmt}
        )


def public_statistics(today: date | None = None) -> tuple[list[int], list[Table]]:
    """The fiscal years shown (current first) and their suppressed count tables, the
    corruption reports' counts last."""
    current = fiscal_year_be(today or today_in_thailand())
    years = [current - back for back in range(PUBLIC_YEARS)]
    categories = list(db.session.scalars(select(Category).order_by(Category.sort_order)))
    minimum = organization_profile().public_stats_min_count
    tables = statistics_tables(db.session, years, minimum, categories)
    by_year = {year: _fiscal_year_integrity(year) for year in years}
    tables.append(integrity_year_table(by_year, minimum))
    return years, tables


@dataclass
class MonthlyStatistics:
    """The ITA's complaint statistics of the current fiscal year: by month, in total."""

    fiscal_year: int
    table: Table
    received: int
    finished: int

    @property
    def in_progress(self) -> int:
        """Received and not yet finished."""
        return self.received - self.finished


def _monthly(
    fiscal_year: int, key: str, title: str, pairs: list[tuple[int, int]], months: list[Any]
) -> MonthlyStatistics:
    minimum = current_app.config["PUBLIC_STATS_MIN_COUNT"]
    table = month_table(key, title, months, pairs, minimum)
    received, finished = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
    return MonthlyStatistics(fiscal_year, table, received, finished)


def general_monthly(today: date | None = None) -> MonthlyStatistics:
    """General complaints of the current fiscal year by month (the ITA evidence page)."""
    year = fiscal_year_be(today or today_in_thailand())
    months = fiscal_months(year, today or today_in_thailand())
    pairs = month_counts(db.session, months)
    title = _("ปีงบประมาณ พ.ศ. %(year)s แยกตามเดือน", year=year)
    return _monthly(year, "general-months", title, pairs, months)


def integrity_monthly(today: date | None = None) -> MonthlyStatistics:
    """Corruption complaints of the current fiscal year by month, from the track's counts."""
    year = fiscal_year_be(today or today_in_thailand())
    months = fiscal_months(year, today or today_in_thailand())
    pairs = []
    for y, m in months:
        counts = integrity_counts(*month_bounds(y, m))
        pairs.append((counts.total, counts.handled))
    title = _("ปีงบประมาณ พ.ศ. %(year)s แยกตามเดือน", year=year)
    return _monthly(year, "integrity-months", title, pairs, months)


def _fiscal_year_integrity(year: int) -> IntegrityCounts:
    whole_year = Period(Period.for_round(year, 1).start, Period.for_round(year, 2).end)
    return integrity_counts(whole_year.start, whole_year.end)


def service_standards() -> list[Category]:
    """The active categories with their department and due-date rules, in menu order."""
    query = (
        select(Category)
        .options(joinedload(Category.department))
        .where(Category.active.is_(True))
        .order_by(Category.sort_order)
    )
    return list(db.session.scalars(query))
