"""Likely duplicates: open cases that a new case probably repeats (แจ้งเหมือนกัน).

The web form, the LINE conversation and the officer's case page call ``likely_duplicates``. The
method (the figures that chose the constants are in ``docs/duplicates.md``, measured by
``bench/duplicates.py`` on the labelled pairs in ``bench/data/duplicate_pairs.csv``):

1. Candidates, in SQL: cases of the same category, open, not merged into another, received in the
   last ``WINDOW_DAYS`` days, and, when the draft has a position, inside a box of
   ``MAX_DISTANCE_M`` around it (or without a position); the newest ``MAX_CANDIDATES``.
2. Words: subject (counted twice), details and place text (counted half) are normalised and
   segmented (``app.thai_text``), abbreviations and common misspellings written one way,
   compound words also counted by their parts at half weight ("ไฟถนน" also gives "ไฟ" and
   "ถนน", ``app.thai_text.parts``), village and lane numbers kept as markers ("หมู่3").
3. Text score: TF-IDF cosine, the IDF taken over the candidates and the draft (so the words every
   case of the category uses weigh little).
4. Place score: with both positions, 1 within ``NEAR_M`` falling to 0 at ``MAX_DISTANCE_M`` and
   no suggestion beyond; otherwise how much of the shorter place text the other shares, and no
   suggestion when both name villages (หมู่) and none is shared.
5. A case is suggested when its text score reaches ``MIN_TEXT_SCORE`` and
   ``TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * place`` reaches ``THRESHOLD``; the best
   ``limit`` (3) are returned, highest first.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Protocol

from sqlalchemy import Row, and_, or_, select

from app.database import AnySession
from app.models import utcnow
from app.statuses import OPEN_STATUSES
from app.thai_text import normalise, parts, segment, stopwords
from cases.models import Case

WINDOW_DAYS = 90
MAX_DISTANCE_M = 300.0
NEAR_M = 50.0
MAX_CANDIDATES = 500
TEXT_WEIGHT = 0.6
MIN_TEXT_SCORE = 0.2
THRESHOLD = 0.3
SUBJECT_WEIGHT = 2.0
PLACE_TEXT_WEIGHT = 0.5
PART_WEIGHT = 0.5

# Words of requests and courtesy that any case may use: they say nothing about the problem.
_DOMAIN_STOPWORDS = frozenset(
    {
        "ขอให้", "ช่วย", "แก้ไข", "ดำเนินการ", "ตรวจสอบ", "เร่ง", "ด่วน", "ครับ", "ค่ะ", "คะ",
        "นะคะ", "นะครับ", "แจ้ง", "เรื่อง", "ร้องเรียน", "อบต", "เจ้าหน้าที่", "ตำบล", "อำเภอ",
        "จังหวัด", "หมู่", "บ้าน", "เลขที่", "ขอบคุณ", "เดือดร้อน", "มาก", "แล้ว", "ทาง",
    }
)  # fmt: skip
# Stop words that name the problem in this domain ("น้ำไม่ออก", "ปั๊มเสีย", "ไฟไม่ติด").
_KEEP = frozenset({"เสีย", "ออก", "ปิด", "เปิด", "ติด"})
# Written one way before segmentation: abbreviations of places and common misspellings.
_REWRITES = (
    (re.compile(r"(?<![\u0e01-\u0e4e])ม\.\s*"), "หมู่ "),
    (re.compile(r"(?<![\u0e01-\u0e4e])ซ\.\s*"), "ซอย "),
    (re.compile(r"(?<![\u0e01-\u0e4e])ถ\.\s*"), "ถนน "),
    (re.compile(r"(?<![\u0e01-\u0e4e])บ\.\s*"), "บ้าน "),
    (re.compile(r"ร\.?ร\.\s*"), "โรงเรียน "),
    (re.compile(r"ปะปา"), "ประปา"),
    (re.compile(r"ใหล"), "ไหล"),
    (re.compile(r"ฝาท่อ"), "ฝา ท่อ"),
)
# Words with one meaning here, written one way after segmentation.
_SYNONYMS = {
    "หมา": "สุนัข",
    "ทางเท้า": "ฟุตบาท",
    "ฟุตปาธ": "ฟุตบาท",
    "ขยะมูลฝอย": "ขยะ",
    "ตัน": "อุดตัน",
    "หลุมบ่อ": "หลุม",
    "ชำรุด": "พัง",
    "แตก": "รั่ว",
}
_MARKER = re.compile(r"(หมู่|ซอย)\s*(?:ที่\s*)?(\d{1,3})(?!\d)")


class Draft(Protocol):
    """What the engine compares: a ``CaseSubmission`` being filed, or a ``Case``."""

    @property
    def category_id(self) -> int | None: ...
    @property
    def subject(self) -> str: ...
    @property
    def details(self) -> str: ...
    @property
    def location_text(self) -> str: ...
    @property
    def latitude(self) -> float | None: ...
    @property
    def longitude(self) -> float | None: ...


@dataclass(frozen=True)
class Features:
    """A case as the engine sees it."""

    terms: Mapping[str, float]
    place: frozenset[str]
    villages: frozenset[str]
    position: tuple[float, float] | None


@dataclass(frozen=True)
class Score:
    """How alike two cases are; ``combined`` decides."""

    text: float
    place: float
    distance_m: float | None
    combined: float

    @property
    def likely(self) -> bool:
        """Whether the pair passes both thresholds."""
        return self.text >= MIN_TEXT_SCORE and self.combined >= THRESHOLD


@dataclass(frozen=True)
class Suggestion:
    """An open case shown as "maybe the same problem". No resident's personal data."""

    case_id: int
    code: str
    subject: str
    location_text: str
    received_at: datetime
    score: Score


def _stop() -> frozenset[str]:
    return stopwords(add=_DOMAIN_STOPWORDS, keep=_KEEP)


def _rewrite(text: str) -> str:
    text = normalise(text)
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return text


def _field(text: str) -> tuple[dict[str, float], frozenset[str]]:
    """The words of one field with their parts (each counted 1, parts ``PART_WEIGHT``) and its
    village and lane markers."""
    clean = _rewrite(text)
    stop = _stop()
    counts: dict[str, float] = {}
    for token in segment(clean, stop):
        word = _SYNONYMS.get(token, token)
        counts[word] = counts.get(word, 0.0) + 1.0
        for piece in parts(word):
            piece = _SYNONYMS.get(piece, piece)
            if piece not in stop:
                counts[piece] = counts.get(piece, 0.0) + PART_WEIGHT
    markers = frozenset(f"{kind}{int(number)}" for kind, number in _MARKER.findall(clean))
    return counts, markers


def _position(latitude: float | None, longitude: float | None) -> tuple[float, float] | None:
    """The point, or None when either half is missing or no place on Earth (a draft is not
    validated yet when the form asks for suggestions)."""
    if latitude is None or longitude is None:
        return None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):  # False for NaN too
        return None
    return latitude, longitude


@lru_cache(maxsize=8192)
def features(
    subject: str,
    details: str,
    location_text: str,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Features:
    """The words, place words, village markers and position of a case (cached per text)."""
    place_words, place_markers = _field(location_text)
    terms: dict[str, float] = {}
    markers: set[str] = set(place_markers)
    for (counts, found), weight in (
        (_field(subject), SUBJECT_WEIGHT),
        (_field(details), 1.0),
        ((place_words, place_markers), PLACE_TEXT_WEIGHT),
    ):
        for word, count in counts.items():
            terms[word] = terms.get(word, 0.0) + weight * count
        markers |= found
    position = _position(latitude, longitude)
    return Features(
        terms=terms,
        place=frozenset(place_words) | place_markers,
        villages=frozenset(m for m in markers if m.startswith("หมู่")),
        position=position,
    )


def features_of(draft: Draft) -> Features:
    """``features`` of a draft or case (anything with its text and position fields)."""
    return features(
        draft.subject or "",
        draft.details or "",
        draft.location_text or "",
        draft.latitude,
        draft.longitude,
    )


def inverse_document_frequency(pool: Iterable[Features]) -> dict[str, float]:
    """Smoothed IDF of every term of ``pool``: ``ln((1 + N) / (1 + df)) + 1``."""
    frequency: Counter[str] = Counter()
    size = 0
    for item in pool:
        size += 1
        frequency.update(item.terms.keys())
    return {term: math.log((1 + size) / (1 + df)) + 1 for term, df in frequency.items()}


def _cosine(a: Mapping[str, float], b: Mapping[str, float], idf: Mapping[str, float]) -> float:
    def weighted(terms: Mapping[str, float]) -> dict[str, float]:
        return {term: count * idf.get(term, 1.0) for term, count in terms.items()}

    va, vb = weighted(a), weighted(b)
    dot = sum(value * vb[term] for term, value in va.items() if term in vb)
    norm = math.sqrt(sum(v * v for v in va.values())) * math.sqrt(sum(v * v for v in vb.values()))
    return dot / norm if norm else 0.0


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance in metres between two (latitude, longitude) points."""
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(min(1.0, math.sqrt(h)))


def _place_score(a: Features, b: Features) -> tuple[float, float | None] | None:
    """(place score, distance) or None when the places rule the pair out."""
    if a.position and b.position:
        metres = distance_m(a.position, b.position)
        if metres > MAX_DISTANCE_M:
            return None
        closeness = 1.0 - max(0.0, metres - NEAR_M) / (MAX_DISTANCE_M - NEAR_M)
        return closeness, metres
    if a.villages and b.villages and not a.villages & b.villages:
        return None
    if not a.place or not b.place:
        return 0.0, None
    return len(a.place & b.place) / min(len(a.place), len(b.place)), None


def score(a: Features, b: Features, idf: Mapping[str, float]) -> Score | None:
    """How alike ``a`` and ``b`` are (same category assumed); None when the places differ."""
    place = _place_score(a, b)
    if place is None:
        return None
    text = _cosine(a.terms, b.terms, idf)
    combined = TEXT_WEIGHT * text + (1 - TEXT_WEIGHT) * place[0]
    return Score(text=text, place=place[0], distance_m=place[1], combined=combined)


def candidates(
    session: AnySession, draft: Draft, now: datetime, exclude_case_id: int | None = None
) -> Sequence[Row[int, str, str, str, str, float | None, float | None, datetime]]:
    """The cases ``likely_duplicates`` compares with ``draft``, newest first (one SQL query).

    Open cases of the draft's category received since ``now - WINDOW_DAYS``, near the draft's
    position or without one, at most ``MAX_CANDIDATES``. Only the compared columns are read,
    never the residents' contact details.
    """
    query = select(
        Case.id,
        Case.code,
        Case.subject,
        Case.details,
        Case.location_text,
        Case.latitude,
        Case.longitude,
        Case.received_at,
    ).where(
        Case.category_id == draft.category_id,
        Case.status.in_(OPEN_STATUSES),
        Case.merged_into_id.is_(None),
        Case.received_at >= now - timedelta(days=WINDOW_DAYS),
    )
    if exclude_case_id is not None:
        query = query.where(Case.id != exclude_case_id)
    point = _position(draft.latitude, draft.longitude)
    if point is not None:
        # A box a little larger than the circle; the exact distance is computed afterwards.
        lat, lng = point
        dlat = MAX_DISTANCE_M / 111_000
        dlng = dlat / max(0.01, math.cos(math.radians(lat)))
        query = query.where(
            or_(
                Case.latitude.is_(None),
                and_(
                    Case.latitude.between(lat - dlat, lat + dlat),
                    Case.longitude.between(lng - dlng, lng + dlng),
                ),
            )
        )
    query = query.order_by(Case.received_at.desc(), Case.id.desc()).limit(MAX_CANDIDATES)
    return session.execute(query).all()


def likely_duplicates(
    session: AnySession,
    draft: Draft,
    limit: int = 3,
    exclude_case_id: int | None = None,
    now: datetime | None = None,
) -> list[Suggestion]:
    """Up to ``limit`` open cases that ``draft`` probably repeats, most alike first.

    Empty when the draft has no category or no meaningful word. ``exclude_case_id`` leaves out
    the case itself when an officer's case page asks about a case already filed.
    """
    if draft.category_id is None:
        return []
    mine = features_of(draft)
    if not mine.terms:
        return []
    cases = candidates(session, draft, now or utcnow(), exclude_case_id)
    theirs = [features_of(case) for case in cases]
    idf = inverse_document_frequency([mine, *theirs])
    found = []
    for case, other in zip(cases, theirs, strict=True):
        result = score(mine, other, idf)
        if result is not None and result.likely:
            found.append(
                Suggestion(
                    case.id, case.code, case.subject, case.location_text, case.received_at, result
                )
            )
    found.sort(key=lambda s: (-s.score.combined, -s.received_at.timestamp(), -s.case_id))
    return found[:limit]
