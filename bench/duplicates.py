"""Duplicate suggestions: quality on the labelled pairs, time per suggestion over a body of cases.

    .venv/bin/python bench/duplicates.py [--open-cases 5000] [--closed-cases 50000]
                                         [--queries 40] [--no-postgres]

Quality: ``bench/data/duplicate_pairs.csv`` holds Thai case pairs written for the purpose, each
labelled 1 (the same problem) or 0, with its kind (``dup_near``, ``neg_same_place``, ...). Pairs
with an odd ``pair_id`` are the tuning half: the threshold sweep runs on them and its best F1
picks the threshold. Pairs with an even ``pair_id`` are the held-out half: precision, recall and
F1 there, at the threshold shipped in ``cases.similarity``, are the figures to quote. A pair of
two categories is never suggested (the engine requires the same category), so a duplicate filed
under another category counts as a miss. The IDF of each category is taken over every text of
that category in the file, standing in for the body's open cases of the category.

Time: a synthetic body of ``--open-cases`` open cases received in the last 90 days and
``--closed-cases`` closed ones or received earlier (which the query must skip), 12 categories,
70 % with a position in a 10 km square, each with its own text. For drafts taken from the
labelled pairs: the candidates query alone, then one ``likely_duplicates`` call cold (caches
emptied, as in a fresh process) and the same call again warm. On SQLite (a temporary file),
then on PostgreSQL when ``BENCH_ADMIN_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``) is reachable: it creates and drops
``bench_duplicates``.
"""

from __future__ import annotations

import sys
from pathlib import Path

# Run as a script, Python puts bench/ first on the path, where sibling scripts would shadow the
# project's packages (bench/notifications.py vs notifications/): import the project instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

import argparse  # noqa: E402
import csv  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from app import create_app, migrate  # noqa: E402
from app.config import Config  # noqa: E402
from app.database import unit_of_work  # noqa: E402
from app.extensions import db  # noqa: E402
from app.thai_text import words  # noqa: E402
from cases import similarity  # noqa: E402
from cases.models import Case, Category, Status  # noqa: E402
from cases.seed import seed_reference_data  # noqa: E402

PAIRS = Path(__file__).resolve().parent / "data" / "duplicate_pairs.csv"
ADMIN_URL = os.environ.get(
    "BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DATABASE = "bench_duplicates"
# The centre of the synthetic body and the half-width of its square, in degrees (about 5 km).
CENTRE, HALF_SIDE = (15.04, 102.14), 0.045


@dataclass(frozen=True)
class Side:
    """One case of a pair, shaped like a draft (``cases.similarity.Draft``)."""

    category: str
    subject: str
    details: str
    location_text: str
    latitude: float | None
    longitude: float | None
    category_id: int | None = None


@dataclass(frozen=True)
class Pair:
    """Two cases and whether they are the same problem."""

    pair_id: int
    kind: str
    label: bool
    a: Side
    b: Side


def _side(row: dict[str, str], prefix: str) -> Side:
    lat, lng = row[f"{prefix}_lat"], row[f"{prefix}_lng"]
    return Side(
        category=row[f"{prefix}_category"],
        subject=row[f"{prefix}_subject"],
        details=row[f"{prefix}_description"],
        location_text=row[f"{prefix}_place"],
        latitude=float(lat) if lat else None,
        longitude=float(lng) if lng else None,
    )


def load_pairs() -> list[Pair]:
    """The labelled pairs of the CSV file."""
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return [
            Pair(int(r["pair_id"]), r["kind"], r["label"] == "1", _side(r, "a"), _side(r, "b"))
            for r in csv.DictReader(handle)
        ]


def pair_scores(pairs: list[Pair]) -> dict[int, similarity.Score | None]:
    """The engine's score of every pair (None: different categories or places ruled out)."""
    pool: dict[str, list[similarity.Features]] = defaultdict(list)
    for pair in pairs:
        for side in (pair.a, pair.b):
            pool[side.category].append(similarity.features_of(side))
    idf = {category: similarity.inverse_document_frequency(p) for category, p in pool.items()}
    return {
        pair.pair_id: (
            similarity.score(
                similarity.features_of(pair.a),
                similarity.features_of(pair.b),
                idf[pair.a.category],
            )
            if pair.a.category == pair.b.category
            else None
        )
        for pair in pairs
    }


Thresholds = tuple[float, float]  # (least text score, least combined score)
SHIPPED: Thresholds = (similarity.MIN_TEXT_SCORE, similarity.THRESHOLD)


def _predicted(score: similarity.Score | None, thresholds: Thresholds) -> bool:
    return score is not None and score.text >= thresholds[0] and score.combined >= thresholds[1]


def quality(
    pairs: list[Pair], scores: dict[int, similarity.Score | None], thresholds: Thresholds
) -> tuple[float, float, float, int, int, int]:
    """Precision, recall, F1 and the true positive, false positive, false negative counts."""
    tp = fp = fn = 0
    for pair in pairs:
        guess = _predicted(scores[pair.pair_id], thresholds)
        tp += guess and pair.label
        fp += guess and not pair.label
        fn += pair.label and not guess
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, tp, fp, fn


def _line(label: str, figures: tuple[float, float, float, int, int, int]) -> str:
    p, r, f1, tp, fp, fn = figures
    return f"  {label:<30} P {p:5.2f}  R {r:5.2f}  F1 {f1:5.2f}   (tp {tp}, fp {fp}, fn {fn})"


def _sweep(tuning: list[Pair], scores: dict[int, similarity.Score | None]) -> Thresholds:
    """Print F1 on the tuning half for a grid of both thresholds; return the best pair."""
    least_text = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35)
    least_combined = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
    print("\nF1 on the tuning half (rows: least text score, columns: least combined score):")
    print("        " + "".join(f"{c:7.2f}" for c in least_combined))
    for least in least_text:
        row = "".join(f"{quality(tuning, scores, (least, c))[2]:7.2f}" for c in least_combined)
        print(f"  {least:5.2f} {row}")
    # Ties go to the higher thresholds: the same F1 on the tuning half with fewer suggestions.
    grid = [(least, combined) for least in least_text for combined in least_combined]
    return max(grid, key=lambda t: (round(quality(tuning, scores, t)[2], 4), t))


def report_quality() -> None:
    """Print the sweep on the tuning half and the figures on the held-out half."""
    pairs = load_pairs()
    tuning = [p for p in pairs if p.pair_id % 2 == 1]
    held_out = [p for p in pairs if p.pair_id % 2 == 0]
    scores = pair_scores(pairs)
    positives = sum(p.label for p in pairs)
    print(f"labelled pairs: {len(pairs)} ({positives} duplicates, {len(pairs) - positives} not)")
    print(f"tuning half (odd ids): {len(tuning)}, held-out half (even ids): {len(held_out)}")
    print(
        f"rules: same category; within {similarity.MAX_DISTANCE_M:.0f} m when both have a "
        f"position; combined = {similarity.TEXT_WEIGHT} text + "
        f"{1 - similarity.TEXT_WEIGHT:.1f} place"
    )
    best = _sweep(tuning, scores)
    print(f"\nbest on the tuning half: text >= {best[0]:.2f}, combined >= {best[1]:.2f}")
    print(_line("tuning half", quality(tuning, scores, best)))
    print(f"shipped (cases.similarity): text >= {SHIPPED[0]:.2f}, combined >= {SHIPPED[1]:.2f}")
    print(_line("tuning half", quality(tuning, scores, SHIPPED)))
    print(_line("held-out half (the figures)", quality(held_out, scores, SHIPPED)))
    print(_line(f"all {len(pairs)} pairs", quality(pairs, scores, SHIPPED)))
    print("\nheld-out pairs by kind, suggested / pairs:")
    kinds: dict[str, list[Pair]] = defaultdict(list)
    for pair in held_out:
        kinds[pair.kind].append(pair)
    for kind, members in sorted(kinds.items()):
        hits = sum(_predicted(scores[p.pair_id], SHIPPED) for p in members)
        print(f"  {kind:<20} {hits:3d} / {len(members):3d}")


def _synthetic_rows(
    open_cases: int, closed_cases: int, categories: dict[str, Category], pairs: list[Pair]
) -> list[dict[str, object]]:
    """Open cases received in the window, and closed ones or open ones received before it.

    Texts from the pairs, each made unique by a house number so that no cache serves it; the
    columns left out (contact details, counters) take their defaults.
    """
    rng = random.Random(2569)
    now = datetime.now(UTC)
    sides = [side for pair in pairs for side in (pair.a, pair.b)]
    rows = []
    for n in range(1, open_cases + closed_cases + 1):
        side = rng.choice(sides)
        category = categories[side.category]
        is_open = n <= open_cases
        age = timedelta(minutes=rng.randint(0, 89 * 24 * 60 if is_open else 365 * 24 * 60))
        status = rng.choice(
            [Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS]
            if is_open
            else [Status.CLOSED, Status.RESOLVED, Status.RECEIVED]
        )
        if not is_open and status == Status.RECEIVED:
            age += timedelta(days=120)
        located = rng.random() < 0.7
        received = now - age
        rows.append(
            {
                "code": f"D{n:09d}",
                "fiscal_year": 2570,
                "sequence": n,
                "kind": "complaint",
                "channel": "web",
                "status": status.value,
                "category_id": category.id,
                "department_id": category.department_id,
                "subject": side.subject,
                "details": f"{side.details} บ้านเลขที่ {n}",
                "location_text": side.location_text,
                "latitude": CENTRE[0] + rng.uniform(-HALF_SIDE, HALF_SIDE) if located else None,
                "longitude": CENTRE[1] + rng.uniform(-HALF_SIDE, HALF_SIDE) if located else None,
                "token_salt": f"{n:032x}",
                "received_at": received,
                "acknowledge_due": received.date(),
                "answer_due": received.date(),
                "last_activity_at": received,
                "created_at": received,
            }
        )
    return rows


def _clear_caches() -> None:
    similarity.features.cache_clear()
    words.cache_clear()


def _ms(run: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    return (time.perf_counter() - started) * 1000, result


def _seed(open_cases: int, closed_cases: int, pairs: list[Pair]) -> dict[str, Category]:
    categories = {c.code: c for c in db.session.scalars(select(Category))}
    started = time.perf_counter()
    rows = _synthetic_rows(open_cases, closed_cases, categories, pairs)
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Case), rows[start : start + 5000])
    db.session.commit()
    seconds = time.perf_counter() - started
    print(f"  {len(rows):,} cases seeded in {seconds:.1f} s: {open_cases:,} open in the window,")
    print(f"  {closed_cases:,} closed or received before it")
    return categories


def time_suggestions(url: str, open_cases: int, closed_cases: int, queries: int) -> None:
    """Seed a synthetic body at ``url`` and print the time per ``likely_duplicates`` call.

    For each draft: the candidates query alone, then the whole call cold (caches emptied, as in
    a fresh process) and at once again warm (every candidate's words cached).
    """
    migrate.upgrade(url)
    app = create_app(Config(DATABASE_URL=url, SECRET_KEY="bench-secret", TESTING=True))
    pairs = load_pairs()
    print(f"\n{url.split('@')[-1]}")
    with app.app_context():
        with unit_of_work(db.session):
            seed_reference_data(db.session)
        categories = _seed(open_cases, closed_cases, pairs)
        drafts = [
            Side(**{**pair.a.__dict__, "category_id": categories[pair.a.category].id})
            for pair in pairs[:queries]
        ]
        now = datetime.now(UTC)
        for label, group in (
            ("with a position", [d for d in drafts if d.latitude is not None]),
            ("without a position", [d for d in drafts if d.latitude is None]),
        ):
            sql, cold, warm, compared, found = [], [], [], 0, 0
            for draft in group:
                ms, rows = _ms(lambda d=draft: similarity.candidates(db.session, d, now))
                sql.append(ms)
                compared += len(rows)  # type: ignore[arg-type]
                _clear_caches()
                cold.append(_ms(lambda d=draft: similarity.likely_duplicates(db.session, d))[0])
                ms, result = _ms(lambda d=draft: similarity.likely_duplicates(db.session, d))
                warm.append(ms)
                found += len(result)  # type: ignore[arg-type]
            print(
                f"  {label} ({len(group)} drafts, {compared / len(group):.0f} candidates and "
                f"{found / len(group):.1f} suggestions each), median / max ms:"
            )
            for name, timings in (("candidates query", sql), ("cold", cold), ("warm", warm)):
                print(f"    {name:<18} {statistics.median(timings):7.1f} {max(timings):7.1f}")
        db.session.remove()
    if db.engine is not None:
        db.engine.dispose()


def _postgres_url() -> str | None:
    """A fresh ``bench_duplicates`` database on the server, or None when none is reachable."""
    try:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
        admin.dispose()
    except OperationalError:
        return None
    return make_url(ADMIN_URL).set(database=DATABASE).render_as_string(hide_password=False)


def _drop_postgres() -> None:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
    admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--open-cases", type=int, default=5000)
    parser.add_argument("--closed-cases", type=int, default=50_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    report_quality()
    print(f"\ntime per suggestion (window {similarity.WINDOW_DAYS} days):")
    sqlite_url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    time_suggestions(sqlite_url, args.open_cases, args.closed_cases, args.queries)
    postgres_url = None if args.no_postgres else _postgres_url()
    if postgres_url is None:
        print("\nPostgreSQL: skipped (--no-postgres, or BENCH_ADMIN_URL not reachable)")
        return
    try:
        time_suggestions(postgres_url, args.open_cases, args.closed_cases, args.queries)
    finally:
        _drop_postgres()


if __name__ == "__main__":
    main()
