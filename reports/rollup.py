"""Oversight's roll-up: the figures of many bodies side by side, counted once across them all.

``rollup`` reads the cases (and the integrity track's counts) of the bodies it is given through
the narrow read-only path ``reading_organizations``: every query is one grouped query across
the bodies, never a loop of per-body summaries, and never a row of content. Each body's figures
are the same as its own six-monthly summary's (``reports.summary``): the rows come from the same
``case_rows``, only grouped by body and stage instead of by the summary's dimensions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from app.database import AnySession
from app.organizations.scope import reading_organizations
from app.statuses import CLOSED_STATUSES
from reports.labels import ANSWERED, IN_PROGRESS, PENDING
from reports.periods import Period
from reports.sql import tune_for_reports
from reports.summary import MEASURES, Figures, case_rows

# The flags summed per body and stage (the summary's measures; rated/rating_sum counted below).
FLAGS = MEASURES[:6]


@dataclass
class BodyFigures:
    """One body's figures of a round: the summary's totals, stages at the round's end, and the
    corruption track's counts (received, handled), nothing else."""

    organization_id: int
    figures: Figures = field(default_factory=Figures)
    stages: dict[str, int] = field(default_factory=dict)
    integrity_received: int = 0
    integrity_handled: int = 0

    @property
    def answered(self) -> int:
        """Cases answered by the round's end (ดำเนินการแล้วเสร็จ)."""
        return self.stages.get(ANSWERED, 0)

    @property
    def in_progress(self) -> int:
        """Acknowledged but not yet answered at the round's end."""
        return self.stages.get(IN_PROGRESS, 0)

    @property
    def pending(self) -> int:
        """Not yet acknowledged at the round's end."""
        return self.stages.get(PENDING, 0)

    def add(self, other: BodyFigures) -> None:
        """Add ``other``'s counts to these (for the area's total)."""
        for name in ("received", *MEASURES):
            setattr(self.figures, name, getattr(self.figures, name) + getattr(other.figures, name))
        for stage, count in other.stages.items():
            self.stages[stage] = self.stages.get(stage, 0) + count
        self.integrity_received += other.integrity_received
        self.integrity_handled += other.integrity_handled


@dataclass
class Rollup:
    """Every body's figures of one round, in the order asked for, and their total."""

    period: Period
    as_of: date
    bodies: list[BodyFigures]

    @property
    def total(self) -> BodyFigures:
        """The area's figures: every body's added up."""
        total = BodyFigures(organization_id=0)
        for body in self.bodies:
            total.add(body)
        return total


def _case_figures(
    session: AnySession, period: Period, as_of: date, today: date
) -> dict[int, BodyFigures]:
    """One grouped query: per body and stage, the count of cases and the sum of every flag."""
    rows = case_rows(period, as_of, today)
    query = select(
        rows.c.organization,
        rows.c.stage,
        func.count().label("received"),
        *[func.coalesce(func.sum(rows.c[flag]), 0).label(flag) for flag in FLAGS],
        func.count(rows.c.rating).label("rated"),
        func.coalesce(func.sum(rows.c.rating), 0).label("rating_sum"),
    ).group_by(rows.c.organization, rows.c.stage)
    found: dict[int, BodyFigures] = {}
    for row in session.execute(query).mappings():
        body = found.setdefault(row["organization"], BodyFigures(row["organization"]))
        counts = Figures(**{name: int(row[name]) for name in ("received", *MEASURES)})
        body.add(BodyFigures(0, counts, {row["stage"]: counts.received}))
    return found


def _integrity_figures(session: AnySession, period: Period) -> dict[int, tuple[int, int]]:
    """Per body: corruption reports received in the round and how many are handled (counts)."""
    from integrity.counts import totals_by_organization

    closed = {status.value for status in CLOSED_STATUSES}
    return {
        organization_id: (
            sum(by_status.values()),
            sum(n for status, n in by_status.items() if status in closed),
        )
        for organization_id, by_status in totals_by_organization(
            session, period.start, period.end
        ).items()
    }


def rollup(
    session: AnySession, organization_ids: Iterable[int], period: Period, today: date
) -> Rollup:
    """The figures of ``organization_ids`` for ``period`` as known on ``today``.

    Two grouped queries in all (cases; integrity counts), whatever the number of bodies, run
    inside ``reading_organizations``: only these bodies' rows, only reads. A body without a
    case in the period gets zeros.
    """
    ids = list(dict.fromkeys(organization_ids))
    as_of = period.as_of(today)
    tune_for_reports(session)
    with reading_organizations(ids):
        cases = _case_figures(session, period, as_of, today)
        integrity = _integrity_figures(session, period)
    bodies = []
    for organization_id in ids:
        body = cases.get(organization_id, BodyFigures(organization_id))
        body.integrity_received, body.integrity_handled = integrity.get(organization_id, (0, 0))
        bodies.append(body)
    return Rollup(period=period, as_of=as_of, bodies=bodies)
