"""Benchmark: one whole six-monthly summary over 1,000,000 cases on PostgreSQL.

Creates its own database (``bench_reports`` by default), migrates it, seeds the reference data
and 1,000,000 cases spread over fiscal years 2567-2569 with one ``INSERT ... SELECT`` from
``generate_series``, then times, for round 2 of 2569:

- the baseline: the plain ``SELECT category_id, count(*) ... GROUP BY category_id`` over the
  same period;
- the summary: ``reports.services.build_summary`` (every figure, the comparisons, the overdue
  list, the top terms and the narrative) and the tables every output renders.

Each is run a few times after a warm-up; the median is printed with the ratio. The database is
dropped at the end (``--keep`` keeps it for another run with ``--reuse``).

    .venv/bin/python bench/reports.py [--cases N] [--keep] [--reuse]

``BENCH_ADMIN_URL`` names the server (default ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import migrate
from app.config import Config
from app.database import unit_of_work
from app.extensions import db
from cases.seed import seed_reference_data
from reports.periods import Period
from reports.services import build_summary
from reports.sql import tune_for_reports
from reports.summary import (
    grouped_figures,
    overdue_cases,
    received_by_category,
    working_day_figures,
)
from reports.tables import summary_tables
from rongrian import create_app

ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DATABASE = "bench_reports"
PERIOD = Period.for_round(2569, 2)
TODAY = date(2026, 11, 24)
RUNS = 5

# What generated cases say: (k, subject, details) for k in 0..7 (bench/platform.py too).
CASE_TEXTS = """(VALUES
    (0, 'ถนนชำรุดเป็นหลุม', 'ถนนลูกรังหน้าบ้านเป็นหลุมลึก น้ำขังเวลาฝนตก'),
    (1, 'น้ำประปาไม่ไหล', 'น้ำประปาไม่ไหลมาสามวันแล้ว ผู้สูงอายุเดือดร้อน'),
    (2, 'ไฟฟ้าส่องสว่างดับ', 'ไฟถนนดับหลายต้น ซอยมืดมากตอนกลางคืน'),
    (3, 'ขยะตกค้าง', 'รถเก็บขยะไม่มาเก็บหนึ่งสัปดาห์ ขยะล้นถังส่งกลิ่นเหม็น'),
    (4, 'ท่อระบายน้ำอุดตัน', 'ท่อระบายน้ำอุดตัน น้ำท่วมขังถนน'),
    (5, 'สุนัขจรจัด', 'สุนัขจรจัดไล่กัดเด็กนักเรียนหน้าโรงเรียน'),
    (6, 'เสียงดังรบกวน', 'ร้านคาราโอเกะเปิดเพลงเสียงดังจนดึก'),
    (7, 'สอบถามเบี้ยยังชีพ', 'ต้องเตรียมเอกสารอะไรบ้างเพื่อลงทะเบียนเบี้ยยังชีพผู้สูงอายุ')
) AS t(k, subject, details)"""

# Three fiscal years, 2567-2569: 1 Oct 2023 to 30 Sep 2026 (Bangkok), as UTC.
SEED_SQL = f"""
INSERT INTO cases (
    code, fiscal_year, sequence, kind, channel, status, category_id, department_id,
    subject, details, location_text, contact_name, contact_phone, contact_email,
    privacy_notice_version, token_salt, received_at, acknowledge_due, answer_due,
    acknowledged_at, resolved_at, closed_at, last_activity_at, rating, rating_comment,
    reopen_count, version, created_at)
SELECT
    'B' || lpad(g.i::text, 9, '0'), 2569, g.i,
    (ARRAY['complaint','complaint','grievance','suggestion','question'])[1 + g.i % 5],
    (ARRAY['web','line','line','phone','walk_in','post','suggestion_box','mayor_hotline',
           'facebook','email'])[1 + (g.i * 7) % 10],
    CASE WHEN g.r_done < 0.75 THEN 'resolved' WHEN g.r_ack < 0.9 THEN 'in_progress'
         ELSE 'received' END,
    c.id, c.department_id,
    t.subject, t.details, '', '', '', '', 'v1', md5(g.i::text),
    g.received_at,
    (g.received_at AT TIME ZONE 'Asia/Bangkok')::date + 5,
    (g.received_at AT TIME ZONE 'Asia/Bangkok')::date + 21,
    CASE WHEN g.r_ack < 0.9 THEN g.received_at + (g.r_ack * interval '6 days') END,
    CASE WHEN g.r_done < 0.75
         THEN g.received_at + interval '1 day' + (g.r_done * interval '40 days') END,
    NULL,
    g.received_at,
    CASE WHEN g.r_done < 0.3 THEN 1 + (g.i % 5) END,
    '', 0, 1, g.received_at
FROM (
    -- Received in order, as cases are: row i at its share of the three years, plus jitter.
    SELECT i,
           timestamptz '2023-09-30 17:00+00'
             + ((i - random()) / :n) * interval '1096 days' AS received_at,
           random() AS r_ack, random() AS r_done, (i * 13) % 12 AS cat_index, i % 8 AS text_index
    FROM generate_series(1, :n) AS s(i)
) AS g
JOIN (SELECT id, department_id, row_number() OVER (ORDER BY id) - 1 AS k FROM categories) AS c
  ON c.k = g.cat_index
JOIN {CASE_TEXTS} ON t.k = g.text_index
"""  # noqa: S608 (a constant of this file)


def database_url() -> str:
    """The URL of the bench database on the admin URL's server."""
    return make_url(ADMIN_URL).set(database=DATABASE).render_as_string(hide_password=False)


def create_database(count: int) -> None:
    """A fresh ``bench_reports`` database, migrated, with reference data and ``count`` cases."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    migrate.upgrade(database_url())
    started = time.perf_counter()
    engine = create_engine(database_url())
    with engine.begin() as conn:
        from sqlalchemy.orm import Session

        with unit_of_work(Session(bind=conn)) as session:
            seed_reference_data(session)
        conn.execute(text(SEED_SQL), {"n": count})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    print(f"seeded {count:,} cases in {time.perf_counter() - started:.1f} s")


def drop_database() -> None:
    """Remove the bench database."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
    admin.dispose()


def median_seconds(work: Callable[[], object], runs: int = RUNS) -> float:
    """The median wall time of ``runs`` calls of ``work`` after one warm-up call."""
    work()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def part_timings() -> dict[str, float]:
    """Where the summary's time goes: each SQL part on its own (same settings as the summary)."""
    as_of = PERIOD.as_of(TODAY)
    session = db.session
    tune_for_reports(session)
    return {
        "breakdowns (GROUPING SETS)": median_seconds(
            lambda: grouped_figures(session, PERIOD, as_of, TODAY)
        ),
        "working-day percentiles": median_seconds(lambda: working_day_figures(session, PERIOD)),
        "overdue list": median_seconds(lambda: overdue_cases(session, PERIOD, as_of)),
        "comparison periods": median_seconds(
            lambda: received_by_category(session, PERIOD.previous(), PERIOD.year_before())
        ),
    }


def main() -> None:
    """Seed, time the baseline and the summary, print both and the ratio, clean up."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use a database kept before")
    args = parser.parse_args()
    if not args.reuse:
        create_database(args.cases)
    app = create_app(Config(SECRET_KEY="bench", DATABASE_URL=database_url(), TESTING=True))
    start, end = PERIOD.utc_bounds()
    baseline_sql = text(
        "SELECT category_id, count(*) FROM cases"
        " WHERE received_at >= :start AND received_at < :end GROUP BY category_id"
    )
    try:
        with app.test_request_context():
            in_period = db.session.scalar(
                text("SELECT count(*) FROM cases WHERE received_at >= :s AND received_at < :e"),
                {"s": start, "e": end},
            )
            baseline = median_seconds(
                lambda: db.session.execute(baseline_sql, {"start": start, "end": end}).all()
            )
            summary = median_seconds(lambda: summary_tables(build_summary(PERIOD, TODAY).data))
            parts = part_timings()
            db.session.remove()
    finally:
        db.engine.dispose()  # type: ignore[union-attr]
        if not args.keep:
            drop_database()
    print(f"period: round {PERIOD.round} of {PERIOD.fiscal_year}, {in_period:,} cases in it")
    print(f"baseline count(*) GROUP BY category: {baseline * 1000:8.1f} ms")
    print(f"whole six-monthly summary:           {summary * 1000:8.1f} ms")
    print(f"ratio: {summary / baseline:.1f}x (aim: within 10x and under 2 s)")
    for name, seconds in parts.items():
        print(f"  of which {name:<28} {seconds * 1000:8.1f} ms")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
