"""Duplicate suggestions: Thai words, ranking and the rules that exclude cases (real database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from app.extensions import db
from app.models import utcnow
from app.statuses import Status
from app.thai_text import normalise, parts, stopwords, words
from cases.models import Case
from cases.services import CaseSubmission
from cases.similarity import (
    MAX_DISTANCE_M,
    distance_m,
    features,
    likely_duplicates,
)
from reports.terms import top_terms
from tests.factories import make_case, submission

# Two points about 110 m apart (0.001° of latitude), and one about 2.2 km away.
HERE = (15.0480, 102.1550)
NEAR = (15.0490, 102.1550)
FAR = (15.0680, 102.1550)


def _case(
    subject: str,
    details: str,
    place: str = "",
    at: tuple[float, float] | None = None,
    **overrides: object,
) -> Case:
    position = {"latitude": at[0], "longitude": at[1]} if at else {}
    case, _ = make_case(
        subject=subject, details=details, location_text=place, **position, **overrides
    )
    return case


def _draft(
    subject: str,
    details: str,
    place: str = "",
    at: tuple[float, float] | None = None,
    category: str = "lights",
) -> CaseSubmission:
    position = {"latitude": at[0], "longitude": at[1]} if at else {}
    return submission(
        subject=subject, details=details, location_text=place, category=category, **position
    )


def test_street_light_word_forms_share_their_words() -> None:
    short, long_ = features("ไฟดับ", "", ""), features("ไฟถนนดับ", "", "")
    assert {"ไฟ", "ดับ"} <= set(short.terms)
    assert {"ไฟถนน", "ไฟ", "ถนน", "ดับ"} <= set(long_.terms)
    assert parts("ไฟถนน") == ("ไฟ", "ถนน")
    # A frequent word of its own is not cut into syllables.
    assert parts("สุนัข") == ()


def test_spelling_digits_and_abbreviations_are_written_one_way() -> None:
    misspelt = features("น้ำปะปาไม่ใหล", "หมาจรจัดเยอะมากกกก", "ม.๓")
    correct = features("น้ำประปาไม่ไหล", "สุนัขจรจัดเยอะ", "หมู่ที่ 3")
    # "สุนัขจรจัด" is one dictionary word, counted with its parts "สุนัข" and "จรจัด".
    assert set(misspelt.terms) == set(correct.terms) - {"สุนัขจรจัด"}
    assert {"น้ำประปา", "ไหล", "สุนัข", "จรจัด"} <= set(misspelt.terms)
    assert misspelt.villages == correct.villages == {"หมู่3"}
    assert normalise("ไฟ\u200bดับ ๆ") == "ไฟดับ"
    # Typing slips that PyThaiNLP's normalize repairs: เเ for แ, ํ + า for ำ, a doubled vowel.
    assert normalise("เเปลก นํ้าไม่ไหลล ดีีี") == "แปลก น้ำไม่ไหลล ดี"


def test_report_terms_use_the_same_words() -> None:
    stop = stopwords()
    assert words("ไฟถนนดับ", stop) == ("ไฟถนน", "ดับ")
    # The reports' top terms read the same words, with emphasis ("มืดดดด") cleaned up too.
    terms = top_terms(["ไฟถนนดับ", "ไฟถนนดับ มืดดดด"], size=3)
    assert [(t.word, t.count) for t in terms] == [("ดับ", 2), ("ไฟถนน", 2), ("มืด", 1)]


def test_haversine_distance_in_metres() -> None:
    assert distance_m(HERE, HERE) == 0
    assert distance_m(HERE, NEAR) == pytest.approx(111, abs=1)
    assert distance_m(HERE, FAR) == pytest.approx(2224, abs=5)


def test_paraphrase_nearby_is_suggested_above_an_unrelated_case(app: Flask) -> None:
    same = _case("ไฟถนนดับ", "ไฟถนนหน้าวัดดับมาสามคืนแล้ว มืดมาก", "หน้าวัดหนองไผ่", HERE, category="lights")
    _case("ขอติดกล้องวงจรปิด", "อยากให้ติดกล้องที่สี่แยก", "หน้าวัดหนองไผ่", HERE, category="lights")
    draft = _draft("ไฟดับหน้าวัด", "ไฟส่องสว่างหน้าวัดไม่ติดหลายวัน มืดมาก", "วัดหนองไผ่", NEAR)
    found = likely_duplicates(db.session, draft)
    assert [s.case_id for s in found] == [same.id]
    assert found[0].score.distance_m == pytest.approx(111, abs=1)
    assert found[0].code == same.code


def test_ranking_puts_the_closest_wording_first(app: Flask) -> None:
    loose = _case("ไฟดับ", "ไฟตรงศาลาไม่ติด มืดมาก", "ศาลาประชาคม หมู่ 1", category="lights")
    close = _case(
        "ไฟถนนหน้าศาลาดับ",
        "ไฟถนนหน้าศาลาประชาคมดับสามคืน หลอดขาด",
        "ศาลาประชาคม หมู่ 1",
        category="lights",
    )
    draft = _draft("ไฟถนนหน้าศาลาดับ", "หลอดไฟถนนหน้าศาลาประชาคมขาด ดับสามคืนแล้ว", "ศาลาประชาคม ม.1")
    found = likely_duplicates(db.session, draft)
    assert [s.case_id for s in found] == [close.id, loose.id]
    assert found[0].score.combined > found[1].score.combined


def test_other_category_closed_merged_and_old_cases_are_left_out(app: Flask) -> None:
    text = ("ไฟถนนดับ", "ไฟถนนหน้าวัดดับมาสามคืนแล้ว มืดมาก", "หน้าวัดหนองไผ่")
    kept = _case(*text, HERE, category="lights")
    _case(*text, HERE, category="roads")
    closed = _case(*text, HERE, category="lights")
    closed.status = Status.CLOSED
    merged = _case(*text, HERE, category="lights")
    merged.merged_into_id = kept.id
    _case(*text, HERE, category="lights", received_at=utcnow() - timedelta(days=91))
    db.session.commit()
    draft = _draft(*text, NEAR)
    assert [s.case_id for s in likely_duplicates(db.session, draft)] == [kept.id]
    # The officer's case page leaves out the case itself.
    assert likely_duplicates(db.session, kept, exclude_case_id=kept.id) == []


def test_same_problem_far_away_or_in_another_village_is_not_suggested(app: Flask) -> None:
    _case("ไฟถนนดับ", "ไฟถนนดับหน้าบ้านหลายวันแล้ว มืดมาก", "บ้านดอนแต้ว", FAR, category="lights")
    _case("ไฟถนนดับ", "ไฟถนนดับหน้าบ้านหลายวันแล้ว มืดมาก", "บ้านดอนแต้ว หมู่ 5", category="lights")
    draft = _draft("ไฟถนนดับ", "ไฟถนนหน้าบ้านดับ มืดมาก", "บ้านหนองไผ่ หมู่ 2", HERE)
    assert likely_duplicates(db.session, draft) == []
    # Just inside the distance limit it is suggested again.
    inside = (HERE[0] + 0.9 * MAX_DISTANCE_M / 111_195, HERE[1])
    near = _case("ไฟถนนดับ", "ไฟถนนดับหน้าบ้านหลายวันแล้ว มืดมาก", "", inside, category="lights")
    assert [s.case_id for s in likely_duplicates(db.session, draft)] == [near.id]


def test_a_case_without_position_is_compared_by_its_place_text(app: Flask) -> None:
    same_place = _case("น้ำประปาไม่ไหล", "น้ำประปาไม่ไหลมาสามวันแล้ว", "บ้านหนองไผ่ หมู่ 2", category="water")
    _case("น้ำประปาไม่ไหล", "น้ำประปาไม่ไหลมาสามวันแล้ว", "", category="water")
    draft = _draft("ปะปาไม่ใหล", "น้ำปะปาไม่ใหลตั้งแต่วันจันทร์", "ม.2 หนองไผ่", HERE, "water")
    found = likely_duplicates(db.session, draft)
    # Both are suggested on their words; the one in the same place ranks first.
    assert found[0].case_id == same_place.id
    assert found[0].score.place == 1.0
    assert found[0].score.distance_m is None
    assert len(found) == 2


def test_at_most_three_suggestions(app: Flask) -> None:
    for n in range(5):
        _case(
            "ขยะไม่มีคนเก็บ",
            f"รถขยะไม่มาเก็บขยะล้นถังส่งกลิ่นเหม็น บ้านเลขที่ {n}",
            "บ้านหนองบัว หมู่ 4",
            category="waste",
        )
    draft = _draft("รถขยะไม่มาเก็บ", "ขยะล้นถังไม่มีคนมาเก็บ เหม็นมาก", "หนองบัว ม.4", category="waste")
    assert len(likely_duplicates(db.session, draft)) == 3
    assert len(likely_duplicates(db.session, draft, limit=1)) == 1


@pytest.mark.parametrize(
    ("subject", "details"),
    [("", ""), ("   ", "\u200b"), ("!!!???", "12345 ... ---"), ("ครับ", "ค่ะ ขอให้ช่วยด้วย")],
)
def test_empty_and_garbage_text_suggests_nothing(app: Flask, subject: str, details: str) -> None:
    _case("ขยะไม่มีคนเก็บ", "รถขยะไม่มาเก็บ ขยะล้นถัง", "หมู่ 4", category="waste")
    assert likely_duplicates(db.session, _draft(subject, details, category="waste")) == []


@pytest.mark.parametrize("at", [(float("nan"), 102.1), (95.0, 102.1), (15.0, 400.0)])
def test_an_impossible_position_counts_as_none(app: Flask, at: tuple[float, float]) -> None:
    kept = _case("ขยะไม่มีคนเก็บ", "รถขยะไม่มาเก็บ ขยะล้นถัง", "บ้านหนองบัว หมู่ 4", HERE, category="waste")
    draft = _draft("ขยะไม่มีคนเก็บ", "รถขยะไม่มาเก็บ ขยะล้นถัง", "หนองบัว ม.4", at, "waste")
    found = likely_duplicates(db.session, draft)
    assert [s.case_id for s in found] == [kept.id]
    assert found[0].score.distance_m is None


def test_a_draft_without_category_suggests_nothing(app: Flask) -> None:
    _case("ขยะไม่มีคนเก็บ", "รถขยะไม่มาเก็บ ขยะล้นถัง", "หมู่ 4", category="waste")
    draft = submission(subject="ขยะไม่มีคนเก็บ", details="รถขยะไม่มาเก็บ ขยะล้นถัง", category_id=None)
    assert likely_duplicates(db.session, draft) == []
