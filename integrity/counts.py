"""What the reports capability may read of the integrity track: its handling standard and
counts (never content). The only module ``reports`` imports."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from app.calendar import bangkok_midnight
from app.database import AnySession
from app.extensions import db
from integrity import receipts
from integrity.intake import ACKNOWLEDGE_DAYS, ANSWER_DAYS
from integrity.models import (
    IntegrityReport,
    ReportKind,
)


@dataclass(frozen=True)
class HandlingStandard:
    """What the corruption track promises, as published on the service standards page."""

    acknowledge_days: int
    answer_days: int
    receipt_digits: int


def handling_standard() -> HandlingStandard:
    """The track's time limits (working days) and the length of a reporter's receipt."""
    return HandlingStandard(ACKNOWLEDGE_DAYS, ANSWER_DAYS, receipts.RECEIPT_DIGITS)


def counts_by(period_start: date, period_end: date) -> dict[str, Any]:
    """Counts of reports received from ``period_start`` up to and including ``period_end``.

    Dates are Thai calendar days. Returns plain dicts only (no content, never a code):
    ``{"total": n, "misconduct": n, "budget": n, "by_kind": {...}, "by_status": {...},
    "by_outcome": {...}, "by_channel": {...}}``. Purged reports are still counted.
    """
    # Counted in SQL by every combination (a few dozen rows at most), then added up per field.
    dimensions = (
        IntegrityReport.kind,
        IntegrityReport.status,
        IntegrityReport.outcome,
        IntegrityReport.channel,
    )
    groups = db.session.execute(
        select(*dimensions, func.count())
        .where(
            IntegrityReport.received_at >= bangkok_midnight(period_start),
            IntegrityReport.received_at < bangkok_midnight(period_end + timedelta(days=1)),
        )
        .group_by(*dimensions)
    ).all()
    fields = ("kind", "status", "outcome", "channel")
    by: dict[str, Counter[str]] = {name: Counter() for name in fields}
    for *values, count in groups:
        for name, value in zip(fields, values, strict=True):
            if value:  # a report without an outcome yet is not counted under any outcome
                by[name][value] += count
    total = sum(by["kind"].values())
    budget = sum(n for kind, n in by["kind"].items() if ReportKind(kind).is_budget)
    return {
        "total": total,
        "misconduct": total - budget,
        "budget": budget,
        **{f"by_{name}": dict(counter) for name, counter in by.items()},
    }


def totals_by_organization(
    session: AnySession, period_start: date, period_end: date
) -> dict[int, dict[str, int]]:
    """Reports received from ``period_start`` to ``period_end`` per organization, by status.

    For oversight's roll-up over several bodies (the caller's scope says which): one grouped
    query, ``{organization_id: {status: n}}``, counts only.
    """
    rows = session.execute(
        select(IntegrityReport.organization_id, IntegrityReport.status, func.count())
        .where(
            IntegrityReport.received_at >= bangkok_midnight(period_start),
            IntegrityReport.received_at < bangkok_midnight(period_end + timedelta(days=1)),
        )
        .group_by(IntegrityReport.organization_id, IntegrityReport.status)
    ).all()
    found: dict[int, dict[str, int]] = {}
    for organization_id, status, count in rows:
        found.setdefault(organization_id, {})[status] = int(count)
    return found
