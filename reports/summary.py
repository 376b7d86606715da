"""The figures of a six-monthly summary, aggregated in SQL.

Which cases: general-track cases received in the period (Bangkok days), duplicates merged into
another case left out. Definitions the report states on its face:

- *answered* is the first of ``resolved_at``/``closed_at`` (resolved, closed, rejected, forwarded).
- *stage at period end* is taken from the timestamps as of the last day of the period (or today
  for a period still running): answered, acknowledged but not answered, not yet acknowledged.
- *within the due date*: acknowledged (answered) on or before ``acknowledge_due`` (``answer_due``)
  as far as known today, out of the cases already acknowledged or whose due date has passed;
  a case that is still inside its time limit is not counted either way.
- *working days* to acknowledge / to answer are counted like ``app.calendar`` does, through
  the ``report_working_days`` table; percentiles are continuous (linear interpolation).
- *satisfaction* is the residents' ratings of the cases received in the period.
- *overdue* cases are those not answered by the as-of day whose answer due date has passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    SQLColumnExpression,
    Subquery,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from app.calendar import bangkok_midnight
from app.database import AnySession
from app.models import Department
from cases.models import Case, Category
from reports.labels import ANSWERED, IN_PROGRESS, PENDING
from reports.models import WorkingDay
from reports.periods import Period
from reports.sql import grouped, local_date, local_month, percentiles, tune_for_reports
from reports.terms import Term, top_terms
from reports.workdays import ensure_working_days

DIMENSIONS = ("channel", "kind", "category", "department", "month", "stage", "rating")
MEASURES = (
    "ack_measured",
    "ack_in_time",
    "answer_measured",
    "answer_in_time",
    "open_at_end",
    "overdue",
    "rated",
    "rating_sum",
)
FRACTIONS = (0.5, 0.9)
OVERDUE_LIST_LIMIT = 200


def _pct(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100.0 * part / whole


@dataclass
class Figures:
    """Counts of one group of cases (a channel, a category, a month, ... or all of them)."""

    key: Any = None
    received: int = 0
    ack_measured: int = 0
    ack_in_time: int = 0
    answer_measured: int = 0
    answer_in_time: int = 0
    open_at_end: int = 0
    overdue: int = 0
    rated: int = 0
    rating_sum: int = 0

    @property
    def ack_pct(self) -> float | None:
        """Percent acknowledged within the due date (None when nothing can be judged yet)."""
        return _pct(self.ack_in_time, self.ack_measured)

    @property
    def answer_pct(self) -> float | None:
        """Percent answered within the due date (None when nothing can be judged yet)."""
        return _pct(self.answer_in_time, self.answer_measured)

    @property
    def rating_mean(self) -> float | None:
        """The mean rating (1-5) of the rated cases."""
        return None if self.rated == 0 else self.rating_sum / self.rated


@dataclass
class DayFigures:
    """Median and 90th percentile of working days to acknowledge and to answer."""

    ack_median: float | None = None
    ack_p90: float | None = None
    answer_median: float | None = None
    answer_p90: float | None = None


@dataclass
class OverdueCase:
    """One case past its answer due date on the as-of day, with no personal data."""

    code: str
    category_id: int
    department_id: int
    answer_due: date
    days_overdue: int


@dataclass
class Figureset:
    """All grouped figures of one period."""

    total: Figures
    groups: dict[str, dict[Any, Figures]]


@dataclass
class SummaryData:
    """Everything a summary shows, before labels and text are added."""

    period: Period
    as_of: date
    today: date
    figures: Figureset
    days: DayFigures
    days_by_department: dict[int, DayFigures]
    overdue: list[OverdueCase]
    overdue_total: int
    terms: list[Term]
    previous: Period
    previous_by_category: dict[int, int]
    year_before: Period
    year_before_by_category: dict[int, int]
    categories: dict[int, Category] = field(default_factory=dict)
    departments: dict[int, Department] = field(default_factory=dict)

    @property
    def previous_total(self) -> int:
        """Cases received in the previous period."""
        return sum(self.previous_by_category.values())

    @property
    def year_before_total(self) -> int:
        """Cases received in the same period a year earlier."""
        return sum(self.year_before_by_category.values())


def _in_period(period: Period) -> ColumnElement[bool]:
    start, end = period.utc_bounds()
    return and_(Case.received_at >= start, Case.received_at < end, Case.merged_into_id.is_(None))


def _answered_at() -> ColumnElement[Any]:
    return func.coalesce(Case.resolved_at, Case.closed_at)


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return case((condition, 1), else_=0)


def case_rows(period: Period, as_of: date, today: date) -> Subquery:
    """One row per case of the period: its body, dimension values and 0/1 flags per measure.

    The one definition of every figure: a body's summary groups these rows by its dimensions,
    oversight's roll-up (``reports.rollup``) by body.
    """
    answered = _answered_at()
    as_of_end = bangkok_midnight(as_of + timedelta(days=1))
    stage = case(
        (answered < as_of_end, literal(ANSWERED)),
        (Case.acknowledged_at < as_of_end, literal(IN_PROGRESS)),
        else_=literal(PENDING),
    )
    acknowledged = Case.acknowledged_at.is_not(None)
    not_answered = or_(answered.is_(None), answered >= as_of_end)
    return (
        select(
            Case.organization_id.label("organization"),
            Case.channel.label("channel"),
            Case.kind.label("kind"),
            Case.category_id.label("category"),
            Case.department_id.label("department"),
            local_month(Case.received_at).label("month"),
            stage.label("stage"),
            Case.rating.label("rating"),
            _flag(or_(acknowledged, Case.acknowledge_due < today)).label("ack_measured"),
            _flag(local_date(Case.acknowledged_at) <= Case.acknowledge_due).label("ack_in_time"),
            _flag(or_(answered.is_not(None), Case.answer_due < today)).label("answer_measured"),
            _flag(local_date(answered) <= Case.answer_due).label("answer_in_time"),
            _flag(not_answered).label("open_at_end"),
            _flag(and_(not_answered, Case.answer_due < as_of)).label("overdue"),
        )
        .where(_in_period(period))
        .subquery("case_rows")
    )


def _case_groups(rows: Subquery) -> Subquery:
    """The period's cases counted by every dimension at once: a few thousand rows at most.

    Why first: ``GROUPING SETS`` over every case hashes each row once per set; one plain
    ``GROUP BY`` over all dimensions hashes it once, and the sets are then added up from its
    small result, which measured faster (figures: ``bench/README.md``).
    """
    dimensions = [rows.c[d] for d in DIMENSIONS]
    return (
        select(
            *dimensions,
            func.count().label("received"),
            *[func.sum(rows.c[m]).label(m) for m in MEASURES[:6]],
        )
        .group_by(*dimensions)
        .subquery("case_groups")
    )


def _measure_columns(groups: Subquery) -> list[ColumnElement[Any]]:
    sums = [func.coalesce(func.sum(groups.c[m]), 0).label(m) for m in ("received", *MEASURES[:6])]
    rated = case((groups.c.rating.is_not(None), groups.c.received), else_=0)
    return [
        *sums,
        func.coalesce(func.sum(rated), 0).label("rated"),
        func.coalesce(func.sum(groups.c.rating * groups.c.received), 0).label("rating_sum"),
    ]


def grouped_figures(session: AnySession, period: Period, as_of: date, today: date) -> Figureset:
    """Received, timeliness, open and rating counts: in total and by every dimension."""
    sets: dict[str, tuple[str, ...]] = {d: (d,) for d in DIMENSIONS}
    sets["total"] = ()
    total = Figures()
    groups: dict[str, dict[Any, Figures]] = {d: {} for d in DIMENSIONS}
    case_groups = _case_groups(case_rows(period, as_of, today))
    for row in grouped(session, case_groups, sets, _measure_columns):
        values = {name: int(row[name]) for name in ("received", *MEASURES)}
        if row["set"] == "total":
            total = Figures(key=None, **values)
        else:
            key = row[row["set"]]
            groups[row["set"]][key] = Figures(key=key, **values)
    return Figureset(total=total, groups=groups)


def _clamped(
    later: SQLColumnExpression[int], earlier: SQLColumnExpression[int]
) -> ColumnElement[int]:
    return case((later < earlier, 0), else_=later - earlier)


def working_day_figures(
    session: AnySession, period: Period
) -> tuple[DayFigures, dict[int, DayFigures]]:
    """Median and 90th percentile of working days to acknowledge and to answer.

    Overall and by department. Each case's working days come from two look-ups in the
    working-day table (received day, acted day), so the database sorts plain integers.
    """
    received, acknowledged, answered = (aliased(WorkingDay) for _ in range(3))
    days = (
        select(
            Case.department_id.label("department"),
            _clamped(acknowledged.ordinal, received.ordinal).label("ack_days"),
            _clamped(answered.ordinal, received.ordinal).label("answer_days"),
        )
        .select_from(Case)
        .join(received, received.day == local_date(Case.received_at))
        .outerjoin(acknowledged, acknowledged.day == local_date(Case.acknowledged_at))
        .outerjoin(answered, answered.day == local_date(_answered_at()))
        .where(_in_period(period))
        .subquery("case_days")
    )
    found = {
        key: DayFigures(
            *by_column.get("ack_days", [None] * 2), *by_column.get("answer_days", [None] * 2)
        )
        for key, by_column in percentiles(
            session, days, ("ack_days", "answer_days"), FRACTIONS, "department"
        ).items()
    }
    overall = found.pop(None, DayFigures())
    return overall, found


def overdue_cases(
    session: AnySession, period: Period, as_of: date, limit: int = OVERDUE_LIST_LIMIT
) -> list[OverdueCase]:
    """Cases of the period past their answer due date and not answered on ``as_of``.

    Days overdue are working days after the due date up to ``as_of``; the longest overdue come
    first (at most ``limit``; the grouped figures hold how many there are in all).
    """
    as_of_ordinal = session.scalar(select(WorkingDay.ordinal).where(WorkingDay.day == as_of))
    answered = _answered_at()
    as_of_end = bangkok_midnight(as_of + timedelta(days=1))
    # The longest overdue first, chosen before the working-day look-up: joining every case of
    # the period to the calendar first made the planner loop over the calendar per day.
    longest = (
        select(Case.code, Case.category_id, Case.department_id, Case.answer_due)
        .where(
            _in_period(period),
            Case.answer_due < as_of,
            or_(answered.is_(None), answered >= as_of_end),
        )
        # The earlier the due date, the more working days overdue.
        .order_by(Case.answer_due, Case.code)
        .limit(limit)
        .subquery("longest_overdue")
    )
    query = (
        select(longest, (literal(as_of_ordinal) - WorkingDay.ordinal).label("days_overdue"))
        .join(WorkingDay, WorkingDay.day == longest.c.answer_due)
        .order_by(longest.c.answer_due, longest.c.code)
    )
    return [
        OverdueCase(row.code, row.category_id, row.department_id, row.answer_due, row.days_overdue)
        for row in session.execute(query)
    ]


def received_by_category(session: AnySession, *periods: Period) -> list[dict[int, int]]:
    """Cases received per category id in each of ``periods`` (for comparisons).

    One plain ``GROUP BY`` per period: on PostgreSQL each can run as a parallel index range
    scan, which measured faster than one query over both ranges with a ``CASE`` per row.
    """
    found = []
    for period in periods:
        query = (
            select(Case.category_id, func.count())
            .where(_in_period(period))
            .group_by(Case.category_id)
        )
        found.append({category: count for category, count in session.execute(query)})
    return found


def period_texts(session: AnySession, period: Period, limit: int) -> list[str]:
    """Subject and details of the latest ``limit`` cases of the period, for top terms."""
    query = (
        select(Case.subject, Case.details)
        .where(_in_period(period))
        .order_by(Case.received_at.desc())
        .limit(limit)
    )
    return [f"{subject}\n{details}" for subject, details in session.execute(query)]


def _reference(session: AnySession) -> tuple[dict[int, Category], dict[int, Department]]:
    categories = {c.id: c for c in session.scalars(select(Category).order_by(Category.sort_order))}
    departments = {d.id: d for d in session.scalars(select(Department).order_by(Department.id))}
    return categories, departments


def compute_summary(
    session: AnySession, period: Period, today: date, term_sample: int = 1000, org_name: str = ""
) -> SummaryData:
    """Every figure of the summary of ``period`` as known on ``today``.

    ``org_name`` (the body's own name) is left out of the top words.
    """
    ensure_working_days(session, min(period.start, today), max(period.end, today))
    tune_for_reports(session)
    as_of = period.as_of(today)
    days, days_by_department = working_day_figures(session, period)
    categories, departments = _reference(session)
    previous, year_before = period.previous(), period.year_before()
    figures = grouped_figures(session, period, as_of, today)
    previous_by_category, year_before_by_category = received_by_category(
        session, previous, year_before
    )
    return SummaryData(
        period=period,
        as_of=as_of,
        today=today,
        figures=figures,
        days=days,
        days_by_department=days_by_department,
        overdue=overdue_cases(session, period, as_of),
        overdue_total=figures.total.overdue,
        terms=top_terms(period_texts(session, period, term_sample), org_name=org_name),
        previous=previous,
        previous_by_category=previous_by_category,
        year_before=year_before,
        year_before_by_category=year_before_by_category,
        categories=categories,
        departments=departments,
    )
