"""The summary's figures against the hand-counted data set of ``conftest.py``."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.extensions import db
from reports.labels import ANSWERED, IN_PROGRESS, PENDING
from reports.models import WorkingDay
from reports.periods import Period
from reports.services import build_summary, save_note
from reports.summary import compute_summary, received_by_category
from reports.workdays import ensure_working_days
from tests.factories import category_id
from tests.reports.conftest import TODAY

ROUND_1 = Period.for_round(2569, 1)


def received(groups, key):
    return groups[key].received if key in groups else 0


def test_round_counts_cases_received_in_it_by_every_breakdown(dataset):
    data = compute_summary(db.session, ROUND_1, TODAY)
    groups = data.figures.groups
    assert data.figures.total.received == 5  # A B C D E; F merged, G before, H after
    by_channel = {k: f.received for k, f in groups["channel"].items()}
    assert by_channel == {"web": 3, "line": 1, "phone": 1}
    assert {k: f.received for k, f in groups["kind"].items()} == {
        "complaint": 3,
        "grievance": 1,
        "suggestion": 1,
    }
    assert {k: f.received for k, f in groups["category"].items()} == {
        category_id("roads"): 3,
        category_id("water"): 1,
        category_id("lights"): 1,
    }
    assert [f.received for f in groups["department"].values()] == [5]
    assert {k: f.received for k, f in groups["month"].items()} == {
        "2025-10": 1,
        "2025-11": 2,
        "2026-01": 1,
        "2026-03": 1,
    }


def test_status_at_period_end_comes_from_timestamps_as_of_the_last_day(dataset):
    data = compute_summary(db.session, ROUND_1, TODAY)
    stages = data.figures.groups["stage"]
    # E was acknowledged on 1 April: on 31 March it still waited.
    assert {k: f.received for k, f in stages.items()} == {ANSWERED: 2, IN_PROGRESS: 1, PENDING: 2}
    assert data.figures.total.open_at_end == 3
    assert data.as_of == date(2026, 3, 31)


def test_within_due_date_percentages(dataset):
    total = compute_summary(db.session, ROUND_1, TODAY).figures.total
    assert (total.ack_measured, total.ack_in_time) == (5, 3)  # B late; D never acknowledged
    assert (total.answer_measured, total.answer_in_time) == (5, 2)  # A, E; B late; C, D overdue
    assert total.ack_pct == pytest.approx(60.0)
    assert total.answer_pct == pytest.approx(40.0)


def test_working_day_medians_and_90th_percentiles(dataset):
    data = compute_summary(db.session, ROUND_1, TODAY)
    # acknowledged after 1 (A), 4 (B), 1 (C), 2 (E) working days -> [1, 1, 2, 4]
    assert data.days.ack_median == pytest.approx(1.5)
    assert data.days.ack_p90 == pytest.approx(3.4)  # 2 + 0.7 * (4 - 2)
    # answered after 9 (A), 23 (B), 11 (E) -> [9, 11, 23]
    assert data.days.answer_median == pytest.approx(11.0)
    assert data.days.answer_p90 == pytest.approx(20.6)  # 11 + 0.8 * (23 - 11)
    works = next(iter(data.days_by_department.values()))
    assert works.answer_median == pytest.approx(11.0)


def test_overdue_list_counts_working_days_past_the_answer_due_date(dataset):
    data = compute_summary(db.session, ROUND_1, TODAY)
    assert data.overdue_total == 2
    assert [(o.code, o.answer_due, o.days_overdue) for o in data.overdue] == [
        (dataset.cases["C"].code, date(2025, 12, 15), 72),
        (dataset.cases["D"].code, date(2026, 2, 5), 37),
    ]


def test_satisfaction_from_ratings_of_the_period(dataset):
    data = compute_summary(db.session, ROUND_1, TODAY)
    total = data.figures.total
    assert (total.rated, total.rating_mean) == (3, pytest.approx(4.0))
    ratings = data.figures.groups["rating"]
    assert {k: f.received for k, f in ratings.items()} == {5: 1, 4: 1, 3: 1, None: 2}
    roads = data.figures.groups["category"][category_id("roads")]
    assert (roads.rated, roads.rating_mean) == (3, pytest.approx(4.0))


def test_comparison_with_previous_round_and_same_round_last_year(dataset):
    data = compute_summary(db.session, ROUND_1, TODAY)
    assert data.previous == Period.for_round(2568, 2)
    assert data.previous_by_category == {category_id("water"): 1}  # G, 23:30 on 30 Sep
    assert data.year_before == Period.for_round(2568, 1)
    assert data.year_before_total == 0


def test_case_crossing_the_boundary_belongs_to_the_round_it_was_received_in(dataset):
    data = compute_summary(db.session, Period.for_round(2569, 2), TODAY)
    assert data.figures.total.received == 1  # H only; E was received in round 1
    assert data.figures.groups["channel"]["facebook"].received == 1
    assert data.overdue_total == 1
    assert data.days.answer_median is None


def test_round_without_cases_gives_zeros_and_no_percentiles(dataset):
    summary = build_summary(Period.for_round(2568, 1), TODAY)
    data = summary.data
    assert data.figures.total.received == 0
    assert data.figures.total.ack_pct is None
    assert data.days.ack_median is None and data.days_by_department == {}
    assert data.overdue == [] and data.overdue_total == 0
    assert data.terms == []
    assert "ไม่ได้รับเรื่อง" in summary.narrative


def test_any_date_range(dataset):
    period = Period(date(2026, 3, 1), date(2026, 4, 30))
    data = compute_summary(db.session, period, TODAY)
    assert data.figures.total.received == 2  # E and H
    assert data.previous == Period(date(2025, 12, 30), date(2026, 2, 28))
    assert data.previous_total == 1  # D


def test_top_terms_skip_stop_words_and_numbers(dataset):
    terms = compute_summary(db.session, ROUND_1, TODAY).terms
    assert (terms[0].word, terms[0].count) == ("ถนน", 5)
    assert (terms[1].word, terms[1].count) == ("หลุม", 4)
    words = {t.word for t in terms}
    assert not words & {"เป็น", "ขอให้", "12", "4", "มาก"}


def test_narrative_states_the_main_figures(dataset):
    narrative = build_summary(ROUND_1, TODAY).narrative
    assert "ทั้งสิ้น 5 เรื่อง" in narrative
    assert "เพิ่มขึ้นร้อยละ 400.0 จากรอบก่อนหน้า (1 เรื่อง)" in narrative
    assert "เดือนที่ได้รับเรื่องมากที่สุดคือ พฤศจิกายน 2568 จำนวน 2 เรื่อง" in narrative
    assert "ประเภทเรื่องที่ได้รับมากที่สุดคือ ถนน สะพาน ทางเท้า จำนวน 3 เรื่อง" in narrative
    assert "ตอบรับเรื่องภายในกำหนดร้อยละ 60.0" in narrative
    assert "แจ้งผลการดำเนินการภายในกำหนดร้อยละ 40.0" in narrative
    assert "เกินกำหนด 2 เรื่อง" in narrative
    assert "คะแนนเฉลี่ย 4.00 จาก 5 คะแนน" in narrative


def test_officer_text_replaces_the_generated_narrative(dataset):
    save_note(ROUND_1, "  ย่อหน้าที่แก้ไขแล้ว ")
    summary = build_summary(ROUND_1, TODAY)
    assert summary.narrative == "ย่อหน้าที่แก้ไขแล้ว"
    assert "ทั้งสิ้น 5 เรื่อง" in summary.generated_narrative
    save_note(ROUND_1, "")
    again = build_summary(ROUND_1, TODAY)
    assert again.narrative == again.generated_narrative


def test_working_day_table_matches_the_calendar(app):
    ensure_working_days(db.session, date(2025, 12, 1), date(2026, 1, 31))
    ordinals = dict(db.session.execute(select(WorkingDay.day, WorkingDay.ordinal)).all())
    # 31 Dec, 1 Jan and 2 Jan are holidays, 3-4 Jan a weekend: 30 Dec to 5 Jan is one day.
    assert ordinals[date(2026, 1, 5)] - ordinals[date(2025, 12, 30)] == 1
    assert ordinals[date(2026, 1, 5)] - ordinals[date(2026, 1, 2)] == 1
    ensure_working_days(db.session, date(2025, 6, 1), date(2025, 6, 2))  # already there
    assert db.session.scalar(select(WorkingDay.ordinal).where(WorkingDay.day == date(2026, 1, 5)))


def test_overlapping_comparison_periods_are_each_counted_in_full(dataset):
    long, short = (
        Period(date(2025, 9, 1), date(2025, 12, 31)),
        Period(date(2025, 9, 30), date(2025, 10, 31)),
    )
    first, second = received_by_category(db.session, long, short)
    assert first == {category_id("roads"): 2, category_id("water"): 2}  # A B; C G
    assert second == {category_id("roads"): 1, category_id("water"): 1}  # A; G


def test_refresh_calendar_clears_the_table_and_the_next_report_refills_it(runner):
    ensure_working_days(db.session, date(2025, 12, 1), date(2026, 1, 31))
    result = runner.invoke(args=["reports", "refresh-calendar"])
    assert result.exit_code == 0 and "cleared" in result.output
    assert db.session.scalar(select(func.count()).select_from(WorkingDay)) == 0
    ensure_working_days(db.session, date(2025, 12, 1), date(2026, 1, 31))
    assert db.session.scalar(select(func.count()).select_from(WorkingDay)) > 0
