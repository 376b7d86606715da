"""Seed 100,000 cases and time the officers' queue page (prints figures, asserts nothing).

    .venv/bin/python bench/review_queue.py                       # a fresh SQLite file in /tmp
    .venv/bin/python bench/review_queue.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

The database must be empty (or already seeded by this script with the same --cases): it is
migrated to head, given reference data, two staff accounts and the cases in bulk.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where sibling scripts would shadow the
# project's packages (bench/notifications.py vs notifications/): import the project instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402
from functools import lru_cache  # noqa: E402

from sqlalchemy import func, insert, select  # noqa: E402

from app import migrate  # noqa: E402
from app.auth.services import create_user, user_by_email  # noqa: E402
from app.calendar import add_working_days, fiscal_year_be, local_date  # noqa: E402
from app.config import Config  # noqa: E402
from app.database import unit_of_work  # noqa: E402
from app.extensions import db  # noqa: E402
from cases.models import Case, Category, Status  # noqa: E402
from cases.seed import seed_reference_data  # noqa: E402
from rongrian import create_app  # noqa: E402

PASSWORD = "bench-password-2569"
SUBJECTS = (
    "ถนนเป็นหลุมลึก",
    "น้ำประปาไม่ไหล",
    "ไฟถนนดับ",
    "ขยะไม่มีคนเก็บ",
    "ท่อระบายน้ำอุดตัน",
    "สุนัขจรจัดกัดคน",
    "เสียงดังจากโรงงาน",
    "ขอเบี้ยยังชีพผู้สูงอายุ",
    "สอบถามภาษีที่ดิน",
    "ขอบคุณเจ้าหน้าที่",
    "น้ำท่วมขังหน้าบ้าน",
    "กิ่งไม้พาดสายไฟ",
)
STATUSES = [s.value for s in Status]
WEIGHTS = (10, 8, 15, 12, 45, 5, 5)
CHANNELS = ("web", "line", "phone", "walk_in", "post", "suggestion_box")


@lru_cache(maxsize=4096)
def _due(day: object, days: int) -> object:
    return add_working_days(day, days)  # type: ignore[arg-type]


def _rows(start: int, count: int, categories: list[Category], rng: random.Random) -> list[dict]:
    now = datetime.now(UTC)
    rows = []
    for n in range(start, start + count):
        category = rng.choice(categories)
        received = now - timedelta(minutes=rng.randint(0, 2 * 365 * 24 * 60))
        day = local_date(received)
        status = rng.choices(STATUSES, WEIGHTS)[0]
        subject = f"{rng.choice(SUBJECTS)} หมู่ {rng.randint(1, 15)}"
        rows.append(
            {
                "code": f"B{n:09d}",
                "fiscal_year": fiscal_year_be(day),
                "sequence": n,
                "kind": rng.choice(("complaint", "grievance", "suggestion", "question")),
                "channel": rng.choice(CHANNELS),
                "status": status,
                "category_id": category.id,
                "department_id": category.department_id,
                "subject": subject,
                "details": f"{subject} ผู้ร้องแจ้งว่าเกิดขึ้นมาหลายวันแล้ว ขอให้ช่วยตรวจสอบ ({n})",
                "location_text": "",
                "contact_name": "",
                "contact_phone": f"08{rng.randint(0, 99_999_999):08d}",
                "contact_email": "",
                "privacy_notice_version": "2026-11",
                "token_salt": f"{n:032x}",
                "received_at": received,
                "acknowledge_due": _due(day, 3),
                "answer_due": _due(day, 15),
                "acknowledged_at": None if status == "received" else received,
                "resolved_at": received if status in ("resolved", "closed") else None,
                "closed_at": received if status == "closed" else None,
                "last_activity_at": received,
                "rating_comment": "",
                "reopen_count": 0,
                "version": 1,
                "created_at": received,
            }
        )
    return rows


def seed(total: int) -> float:
    """Insert ``total`` cases in bulk (skipped if present); return the seconds it took."""
    started = time.perf_counter()
    if db.session.scalar(select(func.count(Case.id))) >= total:
        return 0.0
    categories = list(db.session.scalars(select(Category)))
    rng = random.Random(2569)
    batch = 10_000
    for start in range(0, total, batch):
        db.session.execute(
            insert(Case), _rows(start + 1, min(batch, total - start), categories, rng)
        )
        db.session.commit()
    return time.perf_counter() - started


def _staff() -> None:
    if user_by_email("bench-officer@example.com") is None:
        create_user("bench-officer@example.com", "Bench officer", PASSWORD, ["officer"], ["works"])
        create_user("bench-super@example.com", "Bench supervisor", PASSWORD, ["supervisor"])


def _time(client: object, url: str, runs: int) -> tuple[float, float, str]:
    timings = []
    body = ""
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        body = response.get_data(as_text=True)
    return statistics.median(timings), max(timings), body


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    migrate.upgrade(url)
    config = Config(
        DATABASE_URL=url, SECRET_KEY="bench-secret", TESTING=True, WTF_CSRF_ENABLED=False
    )
    config.extra["PASSWORD_HASH_FAST"] = True
    app = create_app(config)
    with app.app_context():
        with unit_of_work(db.session):
            seed_reference_data(db.session)
        _staff()
        seconds = seed(args.cases)
        print(f"database: {url.split('@')[-1]}")
        print(f"seeded {args.cases:,} cases in {seconds:.1f} s")
        for email in ("bench-officer@example.com", "bench-super@example.com"):
            client = app.test_client()
            client.post("/staff/login", data={"email": email, "password": PASSWORD})
            print(f"\n{email.split('@')[0]} (median / max of {args.runs} runs)")
            first_ms, first_max, body = _time(client, "/staff/cases", args.runs)
            print(f"  {'queue, open tab, by due date':44s} {first_ms:7.1f} ms {first_max:7.1f} ms")
            next_link = body.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
            for label, page_url in (
                ("next page (keyset)", next_link),
                ("all tab, newest first", "/staff/cases?tab=all&sort=received"),
                ("overdue only", "/staff/cases?overdue=y"),
                ("closed tab, last activity", "/staff/cases?tab=closed&sort=activity"),
                ("Thai search 'ประปา'", "/staff/cases?tab=all&q=ประปา"),
                ("Thai search, two letters 'ไฟ'", "/staff/cases?tab=all&q=ไฟ"),
                ("Thai word forms 'ไฟดับ' (ไฟ + ดับ)", "/staff/cases?tab=all&q=ไฟดับ"),
                ("code search", "/staff/cases?tab=all&q=B000050000"),
            ):
                median_ms, max_ms, _ = _time(client, page_url, args.runs)
                print(f"  {label:44s} {median_ms:7.1f} ms {max_ms:7.1f} ms")


if __name__ == "__main__":
    main()
