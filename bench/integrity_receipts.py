"""Cost of checking an integrity receipt as the number of reports grows.

The receipt's lookup id finds one row by index, then one argon2id verification runs; the
alternative the design avoids is verifying the slow hash against every report. Fills a fresh
database with N reports (all but one share a precomputed hash, so filling is fast), then times
``report_for_receipt`` for a real receipt and prints it beside the cost of N verifications.

    .venv/bin/python bench/integrity_receipts.py [--reports 1000 10000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet
from sqlalchemy import delete, insert

from app import migrate
from app.config import Config
from app.extensions import db
from integrity import receipts
from integrity.models import IntegrityReport
from integrity.reporter import report_for_receipt
from rongrian import create_app

REPEATS = 5


def _fill(count: int, shared_hash: str) -> receipts.Receipt:
    """``count`` reports; returns the receipt of the last one (the only real hash)."""
    db.session.execute(delete(IntegrityReport))
    rows = [
        {
            "code": f"B70-{n:06d}",
            "fiscal_year": 2570,
            "sequence": n,
            "kind": "misconduct",
            "channel": "web",
            "status": "received",
            "anonymous": True,
            "receipt_lookup": f"{n:06d}",
            "receipt_hash": shared_hash,
            "acknowledge_due": date(2026, 12, 1),
            "answer_due": date(2027, 1, 10),
            "unread_by_reporter": False,
            "version": 1,
        }
        for n in range(count)
    ]
    receipt = receipts.Receipt(f"{count - 1:06d}", receipts.new_receipt().secret)
    rows[-1]["receipt_hash"] = receipts.hash_secret(receipt)
    db.session.execute(insert(IntegrityReport), rows)
    db.session.commit()
    return receipt


def _median_seconds(action: Callable[[], object]) -> float:
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    """Print the time of one receipt check per database size, and the naive alternative."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="rongrian-bench-"))
    url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    migrate.upgrade(url)
    config = Config(
        SECRET_KEY="bench",
        INTEGRITY_KEY=Fernet.generate_key().decode(),
        DATABASE_URL=url,
        UPLOAD_DIR=str(workdir / "uploads"),
    )
    app = create_app(config)
    with app.app_context():
        shared = receipts.hash_secret(receipts.new_receipt())
        one_verify = _median_seconds(
            lambda: receipts.secret_matches(shared, receipts.new_receipt())
        )
        print(f"one argon2id verification: {one_verify * 1000:.1f} ms")
        for count in args.reports:
            receipt = _fill(count, shared)
            lookup = _median_seconds(lambda r=receipt: report_for_receipt(r.grouped))
            print(
                f"{count:>7} reports: receipt check {lookup * 1000:.1f} ms "
                f"(hashing against every report would take ~{count * one_verify:.0f} s)"
            )


if __name__ == "__main__":
    main()
