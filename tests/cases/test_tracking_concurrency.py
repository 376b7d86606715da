"""Tracking codes stay unique and gap-free when many residents submit at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from sqlalchemy import delete, select, update

from app.calendar import fiscal_year_be, local_date
from app.extensions import db
from app.models import TrackingSequence, utcnow
from app.outbox import Notification
from app.tracking import CASE_PREFIX
from cases.models import Case, CaseEvent
from cases.services import SubmittedCase, submit_case
from rongrian import create_app
from tests.conftest import make_config
from tests.factories import submission

THREADS = 8
PER_THREAD = 6


def test_concurrent_submissions_get_distinct_consecutive_codes(database_url, tmp_path):
    """Real commits from parallel threads (each with its own connection), then cleaned up."""
    app = create_app(make_config(database_url, tmp_path))
    year = fiscal_year_be(local_date(utcnow()))
    with app.app_context():
        start = (
            db.session.scalar(
                select(TrackingSequence.last_value).where(
                    TrackingSequence.prefix == CASE_PREFIX, TrackingSequence.fiscal_year == year
                )
            )
            or 0
        )
        template = submission()
        db.session.remove()
    barrier = threading.Barrier(THREADS)

    def file_cases() -> list[SubmittedCase]:
        # No query before the barrier: an open SQLite transaction would hold the write lock
        # while the others wait to start.
        barrier.wait(timeout=30)  # everyone starts together
        with app.app_context():
            try:
                return [submit_case(replace(template)) for _ in range(PER_THREAD)]
            finally:
                db.session.remove()

    with ThreadPoolExecutor(THREADS) as pool:
        results = [r for batch in pool.map(lambda _: file_cases(), range(THREADS)) for r in batch]

    with app.app_context():
        try:
            codes = [r.code for r in results]
            sequences = sorted(int(code.split("-")[1]) for code in codes)
            assert len(set(codes)) == THREADS * PER_THREAD
            assert sequences == list(range(start + 1, start + 1 + THREADS * PER_THREAD))
        finally:
            ids = [r.case_id for r in results]
            db.session.execute(delete(Notification).where(Notification.case_id.in_(ids)))
            db.session.execute(delete(CaseEvent).where(CaseEvent.case_id.in_(ids)))
            db.session.execute(delete(Case).where(Case.id.in_(ids)))
            db.session.execute(
                update(TrackingSequence)
                .where(TrackingSequence.prefix == CASE_PREFIX, TrackingSequence.fiscal_year == year)
                .values(last_value=start)
            )
            db.session.commit()
            db.session.remove()
    db.engine.dispose()  # type: ignore[union-attr]
