"""The reports capability's services: build a summary, keep the officer's text."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import audit
from app.calendar import fiscal_year_be, today_in_thailand
from app.extensions import db
from app.organizations.services import organization_profile
from cases.models import Category
from reports.errors import InvalidPeriod, NoteTooLong
from reports.integrity import IntegrityCounts, integrity_year_table
from reports.models import ReportNote
from reports.narrative import generate_narrative
from reports.periods import Period, PeriodError
from reports.public import statistics_tables
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

    @property
    def narrative(self) -> str:
        """The officer's edited paragraph if saved, else the generated one."""
        return (
            self.note.narrative if self.note and self.note.narrative else self.generated_narrative
        )

    @property
    def measures(self) -> str:
        """The measures taken, as written by the officer (empty until written)."""
        return self.note.measures if self.note else ""


def period_from_args(args: Mapping[str, str], today: date | None = None) -> Period:
    """The period a request asks for: ``fy`` and ``round``, or ``start`` and ``end`` (ISO dates).

    With neither, the last complete round (the one an officer reports on now).
    """
    try:
        if args.get("start") or args.get("end"):
            return Period.from_text(args.get("start", ""), args.get("end", ""))
        if args.get("fy"):
            return Period.round_from_text(args["fy"], args.get("round") or "1")
    except PeriodError as exc:
        raise InvalidPeriod(str(exc)) from exc
    return Period.containing(today or today_in_thailand()).previous()


def build_summary(
    period: Period, today: date | None = None, with_integrity: bool = False
) -> Summary:
    """Every figure of ``period``, with its generated narrative and any saved officer's note.

    ``with_integrity`` adds the corruption track's counts (for integrity officers and
    executives only: the caller decides from the reader's roles).
    """
    today = today or today_in_thailand()
    data = compute_summary(
        db.session, period, today, term_sample=current_app.config["REPORT_TERM_SAMPLE"]
    )
    note = db.session.scalar(select(ReportNote).where(ReportNote.period_key == period.key))
    narrative = generate_narrative(data, organization_profile().name)
    integrity = integrity_counts(period.start, period.end) if with_integrity else None
    return Summary(data, narrative, note, integrity)


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


def save_note(period: Period, narrative: str, measures: str) -> ReportNote:
    """Keep the officer's narrative and measures taken for ``period`` (replacing earlier text)."""
    narrative, measures = narrative.strip(), measures.strip()
    if len(narrative) > MAX_NOTE_CHARS or len(measures) > MAX_NOTE_CHARS:
        raise NoteTooLong(str(MAX_NOTE_CHARS))
    note = db.session.scalar(select(ReportNote).where(ReportNote.period_key == period.key))
    if note is None:
        note = ReportNote(period_key=period.key)
        db.session.add(note)
    note.narrative, note.measures = narrative, measures
    db.session.commit()
    return note


def record_export(period: Period, fmt: str) -> None:
    """Write who downloaded which summary, in which format, to the audit log."""
    audit.record(
        "report.exported", target_type="report", target_id=period.key, detail={"format": fmt}
    )
    db.session.commit()


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
