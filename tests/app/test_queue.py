"""Queue building blocks: Thai text search, keyset paging, Thai-day ranges, counts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from app.calendar import BANGKOK
from app.extensions import db
from app.input import BadInput
from app.organizations.scope import organization_scope
from app.organizations.services import create_organization, resolve_area
from app.queue import (
    STATUS_TABS,
    SortOrder,
    keyset_page,
    local_day_range,
    status_tab_conditions,
    status_tab_counts,
    text_search,
)
from cases.models import CASE_SEARCH_COLUMNS, Case
from tests.factories import make_case


def _ids(stmt) -> list[int]:
    return list(db.session.scalars(stmt.with_only_columns(Case.id).order_by(Case.id)))


def test_thai_words_match_anywhere_in_subject_details_or_code(app):
    road, _ = make_case(subject="ถนนหน้าวัดเป็นหลุม", details="รถจักรยานยนต์ล้มบ่อยมากตอนกลางคืน")
    water, _ = make_case(category="water", subject="น้ำประปาไม่ไหล", details="ไม่มีน้ำใช้มาสามวันแล้ว")
    columns = (Case.code, Case.subject, Case.details)

    def found(term: str) -> list[int]:
        return _ids(select(Case).where(text_search(term, *columns)))

    assert found("หลุม") == [road.id]
    assert found("ประปา") == [water.id]
    assert found("ไม่ไหล สามวัน") == [water.id]  # every word, in any column
    assert found("ล้ม ประปา") == []
    assert found(water.code.lower()) == [water.id]
    assert found("จักรยานยนต์") == [road.id]
    assert text_search("   ", *columns) is None


def test_short_words_and_quotes_are_searched_like_any_other(app):
    """One- or two-letter words (too short for trigrams) and quotes still match exactly."""
    lights, _ = make_case(category="lights", subject="ไฟฟ้าดับทั้งซอย", details="มืดมากตอนกลางคืนทั้งซอย")
    shop, _ = make_case(subject="ร้าน O'Brien ส่งเสียงดัง", details="ทุกคืนจนถึงตีสองทุกวัน")
    columns = [getattr(Case, column) for column in CASE_SEARCH_COLUMNS]

    def found(term: str) -> list[int]:
        return [i for i in _ids(select(Case).where(text_search(term, *columns))) if i in ids]

    ids = {lights.id, shop.id}
    assert found("ไฟ") == [lights.id]
    assert found("ด") == [lights.id, shop.id]
    assert found("o'brien") == [shop.id]
    assert found("'") == [shop.id]
    assert found(shop.code[-4:]) == [shop.id]


def test_search_text_written_into_the_sql_stays_text(app):
    """Words are rendered into the statement: quotes, backslashes and SQL in them are only text."""
    odd, _ = make_case(subject="ท่อ \\ แตก 100% ที่ซอย_3", details="น้ำรั่ว'); DROP TABLE cases; --")
    columns = [getattr(Case, column) for column in CASE_SEARCH_COLUMNS]

    def found(term: str) -> list[int]:
        return [i for i in _ids(select(Case).where(text_search(term, *columns))) if i == odd.id]

    assert found("'); DROP TABLE cases; --") == [odd.id]
    assert found("\\") == [odd.id]
    assert found("100%") == [odd.id]
    assert found("ซอย_3") == [odd.id]
    assert found("\\'") == []  # no such text; the quote after a backslash ends nothing
    assert found("%") == [odd.id] and found("_") == [odd.id]
    assert found("ท่อ\x00แตก") == [odd.id]  # NUL cannot be in SQL text: it separates words
    assert text_search("\x00", *columns) is None
    # ... and the table is still there.
    assert db.session.scalar(select(func.count()).select_from(Case)) >= 1


@pytest.mark.postgres_only
def test_postgres_answers_the_queue_search_from_the_trigram_indexes(app):
    """Each searched column has a trigram index the search condition can use (Thai and codes)."""
    columns = [getattr(Case, column) for column in CASE_SEARCH_COLUMNS]
    # The test table is tiny, so a scan would win on cost: take it away to see the index is usable.
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    for term in ("ประปา หลุม", "B000050000"):
        stmt = select(Case.id).where(text_search(term, *columns))
        sql = str(stmt.compile(db.session.get_bind(), compile_kwargs={"render_postcompile": True}))
        plan = "\n".join(db.session.scalars(text(f"EXPLAIN {sql}")))
        assert "Seq Scan" not in plan
        for column in CASE_SEARCH_COLUMNS:
            assert f"Bitmap Index Scan on ix_cases_{column}_trgm" in plan


def test_like_wildcards_typed_by_staff_are_taken_literally(app):
    make_case(subject="ลดราคา 50% ทั้งร้าน")
    make_case(subject="ถนนชำรุด_ซอย 5")
    make_case(subject="ไฟฟ้าดับทั้งซอย")
    columns = (Case.subject,)
    assert len(_ids(select(Case).where(text_search("50%", *columns)))) == 1
    assert len(_ids(select(Case).where(text_search("%", *columns)))) == 1
    assert len(_ids(select(Case).where(text_search("_", *columns)))) == 1


@pytest.fixture
def seven_cases(app) -> list[Case]:
    cases = []
    for n in range(7):
        case, _ = make_case(subject=f"เรื่องทดสอบลำดับ {n}")
        # Two cases share each due date, so the id must break ties.
        case.answer_due = date(2026, 12, 1) + timedelta(days=n // 2)
        cases.append(case)
    db.session.commit()
    return cases


@pytest.mark.parametrize("descending", [False, True])
def test_keyset_pages_walk_forward_and_back_without_gaps_or_repeats(seven_cases, descending):
    order = SortOrder((Case.answer_due, Case.id), descending=descending)
    expected = sorted(seven_cases, key=lambda c: (c.answer_due, c.id), reverse=descending)
    stmt = select(Case).where(Case.id.in_([c.id for c in seven_cases]))
    pages, cursor = [], None
    while True:
        page = keyset_page(db.session, stmt, order, cursor, 3)
        pages.append(page)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert [len(p.items) for p in pages] == [3, 3, 1]
    assert [c.id for p in pages for c in p.items] == [c.id for c in expected]
    assert pages[0].prev_cursor is None
    back = keyset_page(db.session, stmt, order, pages[-1].prev_cursor, 3)
    assert [c.id for c in back.items] == [c.id for c in pages[1].items]
    first = keyset_page(db.session, stmt, order, back.prev_cursor, 3)
    assert [c.id for c in first.items] == [c.id for c in pages[0].items]
    assert first.prev_cursor is None and first.next_cursor is not None


@pytest.mark.parametrize("cursor", ["x'; drop", "n.99999999999999999999", "p.-1", "n.²", "n."])
def test_a_malformed_cursor_is_refused(seven_cases, cursor):
    order = SortOrder((Case.answer_due, Case.id))
    stmt = select(Case).where(Case.id.in_([c.id for c in seven_cases]))
    with pytest.raises(BadInput):
        keyset_page(db.session, stmt, order, cursor, 3)


def test_day_range_uses_thai_days(app):
    early, _ = make_case(received_at=datetime(2026, 11, 2, 0, 30, tzinfo=BANGKOK))
    late, _ = make_case(received_at=datetime(2026, 11, 1, 23, 30, tzinfo=BANGKOK))
    in_range = _ids(
        select(Case).where(*local_day_range(Case.received_at, date(2026, 11, 2), date(2026, 11, 2)))
    )
    assert early.id in in_range and late.id not in in_range


@pytest.fixture
def cases_by_status(app) -> dict[str, int]:
    """One case in each of received, in_progress, closed and rejected: their ids by status."""
    ids = {}
    for status in ("received", "in_progress", "closed", "rejected"):
        case, _ = make_case()
        case.status = status
        ids[status] = case.id
    db.session.commit()
    return ids


def test_status_tabs_keep_open_cases_one_status_or_everything(cases_by_status):
    def shown(tab: str) -> list[int]:
        return _ids(select(Case).where(*status_tab_conditions(Case.status, tab)))

    ids = cases_by_status
    assert shown("open") == sorted([ids["received"], ids["in_progress"]])
    assert shown("closed") == [ids["closed"]]
    assert shown("all") == sorted(ids.values())
    assert shown("no-such-tab") == sorted(ids.values())  # callers choose a default tab first


def test_status_tab_counts_cover_every_tab_with_zeros(cases_by_status):
    tabs = status_tab_counts(db.session, Case.status, [Case.subject.is_not(None)])
    counts = tabs.counts
    assert set(counts) == set(STATUS_TABS) and not tabs.capped
    assert (counts["open"], counts["all"], counts["closed"], counts["accepted"]) == (2, 4, 1, 0)
    assert status_tab_counts(db.session, Case.status, [Case.id == -1]).counts["all"] == 0


def test_status_tab_counts_stop_at_the_cap_and_say_so(cases_by_status):
    make_case()  # a second received case
    tabs = status_tab_counts(db.session, Case.status, [], cap=1)
    assert tabs.counts["received"] == 1 and "received" in tabs.capped
    assert tabs.shown("received") == "1+" and tabs.shown("closed") == "1"
    # "open" and "all" add their statuses up, and are at least that when one is capped.
    assert (tabs.shown("open"), tabs.shown("all")) == ("2+", "4+")
    assert tabs.capped == {"received", "open", "all"}
    exact = status_tab_counts(db.session, Case.status, [], cap=2)
    assert exact.counts["received"] == 2 and not exact.capped
    uncapped = status_tab_counts(db.session, Case.status, [], cap=None)
    assert uncapped == exact


def test_status_tab_counts_keep_to_the_current_body(cases_by_status):
    other = create_organization(
        db.session, "tabs-b", name_th="อบต.แท็บ", area=resolve_area(None, None, ("300116",))
    )
    with organization_scope(other.id):
        make_case()
        assert status_tab_counts(db.session, Case.status, []).counts["all"] == 1
    assert status_tab_counts(db.session, Case.status, []).counts["all"] == 4


def test_thai_search_finds_word_forms_not_only_substrings(app):
    lights, _ = make_case(subject="ไฟถนนดับหน้าโรงเรียน", details="มืดมากตอนกลางคืน อันตราย")
    flood, _ = make_case(category="drainage", subject="น้ำท่วมซอย 3", details="ฝนตกทีไรท่วมทุกครั้ง")
    other, _ = make_case(subject="ไฟไหม้หญ้าข้างทาง", details="ควันเข้าบ้านเรือน")
    columns = (Case.code, Case.subject, Case.details)

    def found(term: str) -> list[int]:
        ids = {lights.id, flood.id, other.id}
        return [i for i in _ids(select(Case).where(text_search(term, *columns))) if i in ids]

    assert found("ไฟดับ") == [lights.id]  # ไฟ ... ดับ, not the fire
    assert found("น้ำท่วมที่ซอย") == [flood.id]  # the function word ที่ is not required
    assert found("ไฟ") == [lights.id, other.id]
    assert found(lights.code) == [lights.id]  # a code is never cut
    assert found("ไฟดับ ควัน") == []  # every word must match


def test_search_words_cut_thai_and_keep_codes_numbers_and_lone_function_words():
    from app.thai_text import search_words

    assert search_words("ไฟดับ") == ["ไฟ", "ดับ"]
    assert search_words("R70-000123 50%") == ["R70-000123", "50%"]
    assert search_words("ที่") == ["ที่"]  # only a function word: still searched for
    assert search_words("ไฟดับ ไฟ") == ["ไฟ", "ดับ"]
    assert search_words("   ") == []
