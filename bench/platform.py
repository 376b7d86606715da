"""Benchmark: one platform of 2,000 bodies and 10,000,000 cases on PostgreSQL (issue 14).

Creates its own database (``bench_platform``, or ``BENCH_DATABASE``), migrates it as the server's
admin (the tables' owner), and generates in the server, with ``INSERT ... SELECT`` from
``generate_series`` (the cases' secondary indexes dropped during the load and rebuilt after it, as
any bulk load does):

- 2,000 organizations in 10 provinces of 200 bodies; body *r* (by id) gets a share of the cases
  proportional to ``1 / r`` (Zipf's law: a few large bodies, most small, as in life);
- each body's departments and categories (the default set, copied from the first body);
- the cases, received in order over fiscal years 2567 to 2570 (to ``TODAY``), with the
  timestamps and ratings the summary reads: older cases mostly answered, recent ones mostly
  open, some answered late, three in ten of the answered ones rated;
- a timeline per case (``case_events``: received, then the answer when there is one).

Then it measures, connected as a role that does not own the tables (so under row-level security,
as the app serves), through the app's own code in each body's ``organization_scope``:

- the officers' queue (``review.queue.run_queue``, what ``/staff/cases`` runs): the first page of
  the open tab, and searches, p50 and p95, for the largest body and a median one;
- one body's six-monthly summary (``reports.services.build_summary`` and the tables every output
  renders), for the same two bodies;
- a province roll-up over its 200 bodies (``ROLLUPS``);

each next to a plain ``count(*)`` over the same rows, with the ratio. ``--explain`` prints
``EXPLAIN (ANALYZE, BUFFERS)`` of every statement one run of each sends. The database and the
role are dropped at the end (``--keep`` keeps them for another run with ``--reuse``, which first
upgrades a kept database to the migrations' head).

    .venv/bin/python bench/platform.py [--cases 10000000] [--organizations 2000] [--runs 40]
                                       [--keep] [--reuse] [--explain]

``BENCH_ADMIN_URL`` names the server (default ``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``);
the app's role logs in to the same host and port without a password (a ``trust`` line in
``pg_hba.conf``, as on the development machine).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where this file would shadow the
# standard library's ``platform`` module and sibling scripts the project's packages.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from contextlib import contextmanager  # noqa: E402
from datetime import date  # noqa: E402
from typing import Any  # noqa: E402

from sqlalchemy import Connection, create_engine, event, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app import migrate  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.auth.services import create_user  # noqa: E402
from app.config import Config  # noqa: E402
from app.database import unit_of_work  # noqa: E402
from app.extensions import db  # noqa: E402
from app.organizations.scope import organization_scope, platform_scope  # noqa: E402
from bench.reports import CASE_TEXTS  # noqa: E402
from cases.models import Case  # noqa: E402
from cases.seed import CATEGORIES, seed_reference_data  # noqa: E402
from reports.periods import Period  # noqa: E402
from reports.rollup import Rollup, rollup  # noqa: E402
from reports.services import build_summary  # noqa: E402
from reports.summary import Figureset, grouped_figures  # noqa: E402
from reports.tables import summary_tables  # noqa: E402
from review.queue import QueueQuery, run_queue  # noqa: E402
from rongrian import create_app  # noqa: E402

ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DATABASE = os.environ.get("BENCH_DATABASE", "bench_platform")
APP_ROLE = f"{DATABASE}_app"
PASSWORD = "bench-password-2569"
SUPERVISOR = "bench-supervisor@example.com"
OFFICER = "bench-officer@example.com"
PROVINCES = ("30", "31", "32", "33", "34", "35", "36", "40", "41", "44")
PROVINCE = PROVINCES[0]  # นครราชสีมา: its 200 bodies include the largest one
PERIOD = Period.for_round(2569, 2)
TODAY = date(2026, 11, 29)
SUMMARY_RUNS = 7
ROLLUP_RUNS = 3
SEARCHES = (
    ("search a common word 'ประปา'", "ประปา"),
    ("search a rare word 'สะพาน'", "สะพาน"),
    ("search two words 'ไฟดับ'", "ไฟดับ"),
)

ORGANIZATIONS_SQL = """
INSERT INTO organizations (id, slug, name_th, name_en, type, province_code, subdistrict_codes,
    phone, address, office_hours, line_basic_id, emblem_path, mail_sender_name, active,
    created_at)
SELECT r, 'body-' || lpad(r::text, 4, '0'), 'อบต.ทดสอบที่ ' || r, 'Test body ' || r,
    CASE WHEN r % 50 = 1 THEN 'town_municipality'
         WHEN r % 7 = 0 THEN 'subdistrict_municipality' ELSE 'sao' END,
    (CAST(:provinces AS text[]))[1 + (r - 1) % 10], '[]', '', '', '', '', '', '', true, now()
FROM generate_series(2, :n) AS s(r);
UPDATE organizations SET province_code = (CAST(:provinces AS text[]))[1] WHERE id = 1;
SELECT setval(pg_get_serial_sequence('organizations', 'id'), :n);
INSERT INTO departments (organization_id, code, name_th, name_en, active)
SELECT o.id, d.code, d.name_th, d.name_en, d.active
FROM departments AS d CROSS JOIN organizations AS o WHERE d.organization_id = 1 AND o.id > 1;
INSERT INTO categories (organization_id, code, name_th, name_en, department_id, acknowledge_days,
    answer_days, sort_order, active)
SELECT o.id, c.code, c.name_th, c.name_en, od.id, c.acknowledge_days, c.answer_days,
    c.sort_order, c.active
FROM categories AS c
JOIN departments AS d ON d.id = c.department_id
CROSS JOIN organizations AS o
JOIN departments AS od ON od.organization_id = o.id AND od.code = d.code
WHERE c.organization_id = 1 AND o.id > 1;
"""

# How many cases each body gets: Zipf's law, body r (its id) in proportion to 1 / r.
SHARES_SQL = """
CREATE UNLOGGED TABLE bench_shares AS
SELECT id AS organization_id,
       greatest(1, round(:cases * (1.0 / id) / sum(1.0 / id) OVER ()))::integer AS n
FROM organizations;
CREATE UNLOGGED TABLE bench_categories AS
SELECT organization_id, id AS category_id, department_id,
       row_number() OVER (PARTITION BY organization_id ORDER BY id) - 1 AS k
FROM categories;
CREATE INDEX ON bench_categories (organization_id, k);
ANALYZE bench_shares;
ANALYZE bench_categories;
"""

# 1 Oct 2023 (Bangkok) to TODAY: fiscal years 2567 to 2570.
CASES_SQL = f"""
INSERT INTO cases (
    organization_id, code, fiscal_year, sequence, kind, channel, status, category_id,
    department_id, subject, details, location_text, contact_name, contact_phone, contact_email,
    privacy_notice_version, token_salt, received_at, acknowledge_due, answer_due,
    acknowledged_at, resolved_at, closed_at, last_activity_at, rating, rating_comment,
    reopen_count, version, created_at)
SELECT
    g.organization_id,
    'R' || lpad(g.i::text, 7, '0'),
    g.fiscal_year, g.i,
    (ARRAY['complaint','complaint','grievance','suggestion','question'])[1 + g.i % 5],
    (ARRAY['web','line','line','line','phone','walk_in','post','suggestion_box','facebook',
           'email'])[1 + (g.i * 7) % 10],
    CASE WHEN g.done THEN (CASE WHEN g.r_done < 0.3 THEN 'closed' ELSE 'resolved' END)
         WHEN g.r_ack < 0.8 THEN 'in_progress' ELSE 'received' END,
    c.category_id, c.department_id,
    t.subject || ' หมู่ ' || (1 + g.i % 15),
    t.details || CASE WHEN g.i % 997 = 0 THEN ' สะพานไม้ผุ ใกล้พัง' ELSE '' END,
    'หมู่ ' || (1 + g.i % 15), 'ผู้ร้อง ' || g.i,
    '08' || lpad((g.i::bigint * 7919 % 100000000)::text, 8, '0'),
    '', '2026-11', md5(g.organization_id || '-' || g.i),
    g.received_at, g.day + 5, g.day + 21,
    CASE WHEN g.done OR g.r_ack < 0.8 THEN g.received_at + g.r_ack * interval '7 days' END,
    CASE WHEN g.done THEN g.received_at + interval '1 day' + g.r_done * interval '30 days' END,
    CASE WHEN g.done AND g.r_done < 0.3 THEN g.received_at + interval '2 days'
                                           + g.r_done * interval '30 days' END,
    g.received_at + CASE WHEN g.done THEN interval '1 day' + g.r_done * interval '30 days'
                         ELSE interval '0' END,
    CASE WHEN g.done AND g.r_rate < 0.3 THEN 1 + (g.i * 31) % 5 END,
    '', 0, 1, g.received_at
FROM (
    SELECT s.*, (s.received_at AT TIME ZONE 'Asia/Bangkok')::date AS day,
           extract(year FROM (s.received_at AT TIME ZONE 'Asia/Bangkok') + interval '3 months')
               ::integer + 543 AS fiscal_year,
           -- Older cases are mostly answered; the last weeks' mostly still open.
           s.r_done < CASE WHEN s.received_at < CAST(:recent AS timestamptz) THEN 0.97
                           ELSE 0.35 END AS done
    FROM (
        SELECT b.organization_id, s.i,
               timestamptz '2023-09-30 17:00+00'
                 + ((s.i - random()) / b.n)
                   * (CAST(:today_utc AS timestamptz) - timestamptz '2023-09-30 17:00+00')
                 AS received_at,
               random() AS r_ack, random() AS r_done, random() AS r_rate
        FROM bench_shares AS b CROSS JOIN LATERAL generate_series(1, b.n) AS s(i)
    ) AS s
) AS g
JOIN bench_categories AS c
  ON c.organization_id = g.organization_id AND c.k = (g.i * 13) % :categories
JOIN {CASE_TEXTS} ON t.k = g.i % 8
"""  # noqa: S608 (a constant of this file)

EVENTS_SQL = """
INSERT INTO case_events (organization_id, case_id, type, is_public, body, from_status,
    to_status, created_at)
SELECT organization_id, id, 'received', true, '', NULL, 'received', received_at FROM cases
UNION ALL
SELECT organization_id, id, 'reply', true, 'ดำเนินการแก้ไขเรียบร้อยแล้ว ขอบคุณที่แจ้งเรื่อง',
    'in_progress', status, coalesce(resolved_at, closed_at)
FROM cases WHERE coalesce(resolved_at, closed_at) IS NOT NULL
"""


def database_url(user: str | None = None) -> str:
    """The URL of the bench database, as the admin or as ``user``."""
    url = make_url(ADMIN_URL).set(database=DATABASE)
    if user is not None:
        url = url.set(username=user, password=None)
    return url.render_as_string(hide_password=False)


def _admin(statements: list[str]) -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for statement in statements:
            conn.execute(text(statement))
    admin.dispose()


def drop_database() -> None:
    """Remove the bench database and the app's role."""
    _admin(
        [f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)', f"DROP ROLE IF EXISTS {APP_ROLE}"]
    )


@contextmanager
def stopwatch(label: str) -> Iterator[None]:
    """Print how long the block took."""
    started = time.perf_counter()
    yield
    print(f"  {label:<44} {time.perf_counter() - started:7.1f} s", flush=True)


def _run_script(conn: Connection, sql: str, **params: Any) -> None:
    for statement in filter(str.strip, sql.split(";\n")):
        conn.execute(text(statement), params)


def _index_definitions(conn: Connection, table: str) -> dict[str, str]:
    """The ``CREATE INDEX`` statements of ``table``'s indexes that back no constraint."""
    rows = conn.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = :t AND indexname NOT IN"
            " (SELECT conname FROM pg_constraint WHERE conrelid = CAST(:t AS regclass))"
        ),
        {"t": table},
    )
    return dict(rows.all())


def _grant_app_role(conn: Connection) -> None:
    """Give the app's role what the app needs, as README's "Database roles" does: again after a
    migration of a kept database."""
    conn.execute(text(f"ALTER ROLE {APP_ROLE} SET jit = off"))
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}"))
    conn.execute(
        text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}")
    )
    conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}"))


def create_database(cases: int, organizations: int) -> None:
    """A fresh database: migrated, ``organizations`` bodies, ``cases`` cases with timelines."""
    drop_database()
    _admin([f'CREATE DATABASE "{DATABASE}"'])
    print(f"generating {organizations:,} organizations and {cases:,} cases:")
    started = time.perf_counter()
    migrate.upgrade(database_url())
    engine = create_engine(database_url())
    with engine.begin() as conn:
        with unit_of_work(Session(bind=conn)) as session:
            seed_reference_data(session)  # the first body's, in the default scope
        _run_script(conn, ORGANIZATIONS_SQL, n=organizations, provinces=list(PROVINCES))
        _run_script(conn, SHARES_SQL, cases=cases)
        conn.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN"))
        _grant_app_role(conn)
    with engine.begin() as conn:
        conn.execute(text("SET maintenance_work_mem = '1GB'"))
        conn.execute(text("SET max_parallel_maintenance_workers = 2"))
        # Foreign keys hold by construction: skip their per-row triggers while loading.
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        indexes = {t: _index_definitions(conn, t) for t in ("cases", "case_events")}
        for table in indexes.values():
            for name in table:
                conn.execute(text(f"DROP INDEX {name}"))
        with stopwatch("cases (INSERT ... SELECT generate_series)"):
            conn.execute(
                text(CASES_SQL),
                {
                    "recent": "2026-10-15",
                    "today_utc": "2026-11-29 05:00+00",
                    "categories": len(CATEGORIES),
                },
            )
        with stopwatch("timelines (case_events)"):
            conn.execute(text(EVENTS_SQL))
        with stopwatch("secondary indexes rebuilt"):
            for table in indexes.values():
                for definition in table.values():
                    conn.execute(text(definition))
        conn.execute(text("DROP TABLE bench_shares, bench_categories"))
    autocommit = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
    with autocommit as conn, stopwatch("VACUUM ANALYZE"):
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    print(f"  {'generated in all':<44} {time.perf_counter() - started:7.1f} s")


def upgrade_kept_database() -> None:
    """Bring a database kept by ``--keep`` to the migrations' head, as an install upgrades."""
    migrate.upgrade(database_url())
    engine = create_engine(database_url())
    with engine.begin() as conn:
        _grant_app_role(conn)
    engine.dispose()


def add_staff(organization_id: int) -> None:
    """A supervisor (every case) and a works officer (one department) in the body."""
    with organization_scope(organization_id):
        create_user(SUPERVISOR, "Bench supervisor", PASSWORD, ["supervisor"])
        create_user(OFFICER, "Bench officer", PASSWORD, ["officer"], ["works"])
        db.session.commit()


# --- measuring --------------------------------------------------------------------------------


class StatementLog:
    """The statements the app sends while ``recording`` (for ``--explain``)."""

    def __init__(self) -> None:
        self.recording = False
        self.statements: list[tuple[str, Any]] = []

    def attach(self, engine: Any) -> None:
        """Listen to ``engine``'s cursor executions."""
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        selects = statement.lstrip().upper().startswith("SELECT")
        if self.recording and selects and "set_config" not in statement:
            self.statements.append((statement, parameters))


LOG = StatementLog()


def timings_ms(work: Callable[[], object], runs: int) -> list[float]:
    """Wall times of ``runs`` calls of ``work`` after one warm-up, each in a new transaction
    (the organization setting is set again each time, as per request)."""
    work()
    db.session.rollback()
    found = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        found.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    return found


def p50_p95(values: list[float]) -> tuple[float, float]:
    """Median and 95th percentile."""
    if len(values) < 2:
        return values[0], values[0]
    return statistics.median(values), statistics.quantiles(values, n=20)[-1]


def explain(work: Callable[[], object]) -> None:
    """Print ``EXPLAIN (ANALYZE, BUFFERS)`` of every SELECT one call of ``work`` sends."""
    LOG.statements.clear()
    LOG.recording = True
    try:
        work()
    finally:
        LOG.recording = False
    for statement, parameters in LOG.statements:
        rows = db.session.connection().exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters
        )
        print("\n".join(f"      {line}" for (line,) in rows))
        print()
    db.session.rollback()


class Report:
    """Measured rows, each with its baseline, printed as a table."""

    def __init__(self, runs: int, show_plans: bool) -> None:
        self.runs = runs
        self.show_plans = show_plans

    def row(self, label: str, work: Callable[[], object], baseline_ms: float, runs: int) -> float:
        """Time ``work``; print p50, p95 and the ratio of p50 to ``baseline_ms``; return p95."""
        p50, p95 = p50_p95(timings_ms(work, runs))
        ratio = p50 / baseline_ms if baseline_ms else float("nan")
        print(f"    {label:<40} {p50:9.1f} {p95:9.1f} {ratio:8.1f}x", flush=True)
        if self.show_plans:
            explain(work)
        return p95

    def baseline(self, label: str, statement: Any, runs: int) -> float:
        """Time the plain ``statement``; print and return its median."""
        p50, p95 = p50_p95(timings_ms(lambda: db.session.execute(statement).all(), runs))
        print(f"    {label:<40} {p50:9.1f} {p95:9.1f}", flush=True)
        return p50


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def measure_body(report: Report, organization_id: int) -> None:
    """Queue pages and the six-monthly summary of one body, with their baselines."""
    start, end = PERIOD.utc_bounds()
    with organization_scope(organization_id):
        total = db.session.scalar(select(func.count()).select_from(Case))
        in_period = db.session.scalar(
            select(func.count()).where(Case.received_at >= start, Case.received_at < end)
        )
        print(
            f"\n  body {organization_id}: {total:,} cases, {in_period:,} in round"
            f" {PERIOD.round}/{PERIOD.fiscal_year}   (ms: p50, p95, p50 / baseline)"
        )
        body_count = report.baseline(
            "baseline: count(*) of the body's cases",
            select(func.count()).select_from(Case),
            report.runs,
        )
        for email in (SUPERVISOR, OFFICER):
            role = email.split("@")[0].removeprefix("bench-")
            report.row(
                f"queue, {role}: open tab, first page",
                lambda e=email: run_queue(_user(e), QueueQuery()),
                body_count,
                report.runs,
            )
        for label, words in SEARCHES:
            report.row(
                f"queue, supervisor: {label}",
                lambda w=words: run_queue(_user(SUPERVISOR), QueueQuery(tab="all", q=w)),
                body_count,
                max(SUMMARY_RUNS, report.runs // 4),  # a scan of a large body takes seconds
            )
        period_count = report.baseline(
            "baseline: count(*) of the round's cases",
            select(func.count()).where(Case.received_at >= start, Case.received_at < end),
            SUMMARY_RUNS,
        )
        report.row(
            "six-monthly summary (build + tables)",
            lambda: summary_tables(build_summary(PERIOD, TODAY).data),
            period_count,
            SUMMARY_RUNS,
        )


def rollup_body_by_body(organization_ids: list[int]) -> dict[int, Figureset]:
    """Each body's summary figures (``reports.summary.grouped_figures``), one body after the
    other, each in its own scope: what a roll-up built from the per-body summary costs."""
    as_of = PERIOD.as_of(TODAY)
    figures = {}
    for organization_id in organization_ids:
        with organization_scope(organization_id):
            figures[organization_id] = grouped_figures(db.session, PERIOD, as_of, TODAY)
    return figures


def province_rollup(organization_ids: list[int]) -> Rollup:
    """The reports capability's roll-up, as oversight's page and files run it: two grouped
    queries over the bodies' rows, inside its read-only scope of those bodies."""
    return rollup(db.session, organization_ids, PERIOD, TODAY)


# The province roll-ups measured: the real one, and what a roll-up built body by body from the
# per-body summary would cost (why the real one groups by body instead).
ROLLUPS: tuple[Callable[[list[int]], object], ...] = (province_rollup, rollup_body_by_body)


def measure_rollup(report: Report) -> None:
    """The province roll-up over its bodies, against one grouped count over the same cases."""
    start, end = PERIOD.utc_bounds()
    with platform_scope():
        ids = list(
            db.session.scalars(
                text("SELECT id FROM organizations WHERE province_code = :p ORDER BY id"),
                {"p": PROVINCE},
            )
        )
        counted = select(Case.organization_id, func.count()).where(
            Case.organization_id.in_(ids), Case.received_at >= start, Case.received_at < end
        )
        in_period = sum(n for _, n in db.session.execute(counted.group_by(Case.organization_id)))
        print(
            f"\n  province {PROVINCE}: {len(ids)} bodies, {in_period:,} cases in round"
            f" {PERIOD.round}/{PERIOD.fiscal_year}   (ms: p50, p95, p50 / baseline)"
        )
        baseline = report.baseline(
            "baseline: count(*) GROUP BY body",
            counted.group_by(Case.organization_id),
            SUMMARY_RUNS,
        )
    for measured in ROLLUPS:
        report.row(
            f"roll-up: {measured.__name__}", lambda r=measured: r(ids), baseline, ROLLUP_RUNS
        )


def median_body() -> int:
    """The id of the body with the median number of cases (a typical small body)."""
    with platform_scope():
        by_size = db.session.execute(
            select(Case.organization_id).group_by(Case.organization_id).order_by(func.count())
        ).scalars()
        ids = list(by_size)
    return int(ids[len(ids) // 2])


def print_sizes() -> None:
    """Table and index sizes of the largest tables (for docs/scaling.md)."""
    rows = db.session.execute(
        text(
            "SELECT relname, pg_table_size(oid), pg_indexes_size(oid), reltuples"
            " FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
            " ORDER BY pg_total_relation_size(oid) DESC LIMIT 6"
        )
    ).all()
    print("\n  sizes (table, its indexes, rows):")
    for name, table, indexes, rows_estimate in rows:
        print(
            f"    {name:<20} {table / 2**30:7.2f} GiB {indexes / 2**30:7.2f} GiB"
            f" {rows_estimate:14,.0f}"
        )
    indexes = db.session.execute(
        text(
            "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes"
            " WHERE relname = 'cases' ORDER BY 2 DESC"
        )
    ).all()
    print("  indexes of cases:")
    for name, size in indexes:
        print(f"    {name:<40} {size / 2**20:9.0f} MiB")
    database = db.session.scalar(text("SELECT pg_database_size(current_database())"))
    print(f"  database: {database / 2**30:.2f} GiB")


def main() -> None:
    """Generate (unless ``--reuse``), measure as the app's role, print, clean up."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=10_000_000)
    parser.add_argument("--organizations", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=40, help="runs of each queue measurement")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use a database kept before")
    parser.add_argument("--explain", action="store_true", help="print the measured plans")
    args = parser.parse_args()
    if args.reuse:
        upgrade_kept_database()
    else:
        create_database(args.cases, args.organizations)
    config = Config(SECRET_KEY="bench", DATABASE_URL=database_url(APP_ROLE), TESTING=True)
    config.extra["PASSWORD_HASH_FAST"] = True
    app = create_app(config)
    report = Report(args.runs, args.explain)
    try:
        with app.test_request_context():
            LOG.attach(db.engine)
            largest, typical = 1, median_body()
            if not args.reuse:
                for organization_id in (largest, typical):
                    add_staff(organization_id)
            print(f"\nconnected as {APP_ROLE} (not the tables' owner: row-level security applies)")
            for organization_id in (largest, typical):
                measure_body(report, organization_id)
            measure_rollup(report)
            print_sizes()
        print(f"\nload average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        db.engine.dispose()  # type: ignore[union-attr]
        if not args.keep:
            drop_database()


if __name__ == "__main__":
    main()
