"""``flask seed --demo``: content in every part of the product, created once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.calendar import today_in_thailand
from app.extensions import db
from cases.models import Case, CaseKind, Category, Channel, Status
from cases.publication import Publication, PublicPhoto
from integrity.models import IntegrityReport
from reports.models import ReportMeasure
from reports.periods import Period
from review.models import ReplyTemplate


def _count(model: type, *where: object) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_demo_seed_fills_every_part_of_the_product_once(runner, login_as):
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    cases = db.session.scalars(select(Case)).all()
    today = today_in_thailand()
    current = Period.containing(today)
    rounds = [current]
    for _ in range(4):
        rounds.append(rounds[-1].previous())
    categories = set(db.session.scalars(select(Category.id)))
    for period in rounds:
        start, end = period.utc_bounds()
        inside = [c for c in cases if start <= c.received_at < end]
        assert {c.channel for c in inside} == {c.value for c in Channel}, period.key
        assert {c.kind for c in inside} == {k.value for k in CaseKind}, period.key
        assert {c.category_id for c in inside} == categories, period.key
    statuses = {c.status for c in cases}
    assert {"resolved", "closed", "rejected", "forwarded", "in_progress"} <= statuses
    assert any(c.status == Status.RECEIVED for c in cases)  # the queue has new cases
    answered = [c for c in cases if c.resolved_at and not c.merged_into_id]
    late = [c for c in answered if c.resolved_at.date() > c.answer_due]
    assert late and len(late) < len(answered)  # on time and late
    assert any(c.rating for c in cases) and any(c.merged_into_id for c in cases)
    assert {r.status for r in db.session.scalars(select(IntegrityReport))} >= {
        "received",
        "accepted",
        "in_progress",
        "closed",
        "rejected",
        "forwarded",
    }
    assert _count(ReplyTemplate) >= 6
    assert _count(ReportMeasure, ReportMeasure.period_key == current.previous().key) > 0
    published = _count(Publication)
    assert published >= 5 and _count(PublicPhoto) >= 2  # the public list and map have content
    again = runner.invoke(args=["seed", "--demo"])
    assert again.exit_code == 0 and _count(Case) == len(cases)
    assert _count(Publication) == published
    html = login_as("executive").get("/reports/summary").get_data(as_text=True)
    assert "ติดป้าย QR code" in html  # the last round's measures, carried over to today's
