"""Public statistics (no sign-in), small-count suppression and the service standards page."""

from __future__ import annotations

import csv
import io
from datetime import date

from app.extensions import db
from reports.services import general_monthly, integrity_monthly
from reports.statistics import suppress, year_counts
from tests.factories import category_id


def test_small_counts_and_the_cells_that_would_reveal_them_are_hidden():
    # rows: received, handled, pending; the last row is the total
    matrix = [[10, 8, 2], [5, 5, 0], [6, 3, 3], [21, 16, 5]]
    assert suppress(matrix, 3) == [
        [10, None, None],  # 2 pending is small; 8 handled would give it away from 10
        [5, 5, 0],
        [6, None, None],  # 3 handled would give the 8 away from 16, then 3 pending the 3
        [21, 16, 5],
    ]
    # a small total is hidden as well, with whatever in its row would reveal it
    assert suppress([[10, 8, 2], [5, 5, 0], [15, 13, 2]], 3)[2] == [15, None, None]


def test_a_lone_hidden_cell_in_a_column_hides_the_next_smallest():
    matrix = [[1, 1, 0], [7, 7, 0], [9, 9, 0], [17, 17, 0]]
    hidden = suppress(matrix, 3)
    assert hidden[0] == [None, None, None]
    assert hidden[1][0] is None and hidden[2][0] == 9  # 7 hidden too, so 17 - 9 = 8 is all
    assert hidden[3] == [17, 17, 0]


def test_counts_below_the_threshold_are_never_shown():
    matrix = [[2, 1, 1], [0, 0, 0], [2, 1, 1]]
    assert suppress(matrix, 3) == [[None] * 3, [0, 0, 0], [None] * 3]


def test_year_counts_by_channel_and_category(dataset):
    counts = {y.fiscal_year: y for y in year_counts(db.session, [2569, 2568])}
    this_year = counts[2569]  # A B C D E H (F merged); A B E resolved
    assert this_year.total == (6, 3)
    assert this_year.by_channel["web"] == (3, 2)  # A D E; A E resolved
    assert this_year.by_category[category_id("roads")] == (4, 3)  # A B E H
    assert counts[2568].total == (1, 0)  # G


def test_public_page_needs_no_sign_in_and_hides_small_counts(client, dataset):
    page = client.get("/statistics")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "ปีงบประมาณ พ.ศ. 2569" in html
    assert "&lt;3" in html
    for case in dataset.cases.values():
        assert case.code not in html and case.subject not in html


def test_statistics_csv(client, dataset, app):
    app.config["PUBLIC_STATS_MIN_COUNT"] = 1  # show everything, to check the figures
    response = client.get("/statistics.csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert ["เว็บไซต์", "3", "2", "1"] in rows
    assert ["รวม", "6", "3", "3"] in rows


def test_service_standards_come_from_the_due_date_rules(client, app):
    from cases.models import Category

    roads = db.session.get(Category, category_id("roads"))
    roads.answer_days = 12
    db.session.commit()
    html = client.get("/service-standards").get_data(as_text=True)
    assert "ถนน สะพาน ทางเท้า" in html and '<td class="n">12</td>' in html
    assert "แนวทางการจัดการเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ" in html


def test_statistics_years_are_the_current_fiscal_year_and_two_before(app):
    from reports.services import public_statistics

    years, tables = public_statistics(date(2026, 11, 24))
    assert years == [2570, 2569, 2568]
    assert len(tables) == 7  # channel and category per year, then corruption counts


def test_corruption_guideline_states_the_tracks_own_limits_and_receipt_length(client, app):
    from flask_babel import refresh

    from integrity.counts import handling_standard
    from integrity.receipts import new_receipt

    standard = handling_standard()
    assert len(new_receipt().digits) == standard.receipt_digits == 20
    html = client.get("/service-standards").get_data(as_text=True)
    assert f"รหัสติดตาม {standard.receipt_digits} หลัก" in html
    assert f"ตอบรับเรื่องภายใน {standard.acknowledge_days} วันทำการ" in html
    assert f"แจ้งผลการดำเนินการภายใน {standard.answer_days} วันทำการ" in html
    client.post("/lang", data={"lang": "en", "next": "/service-standards"})
    # The test's app context outlives requests and Flask-Babel caches the locale on it.
    refresh()
    english = client.get("/service-standards").get_data(as_text=True)
    assert "a 20-digit receipt" in english


def test_ita_statistics_count_a_fiscal_year_by_month(app, dataset):
    app.config["PUBLIC_STATS_MIN_COUNT"] = 1
    monthly = general_monthly(date(2026, 3, 31))
    # A-E of round 1 (F merged, G in 2568, H in April): 5 received; A, B and E finished.
    assert (monthly.fiscal_year, monthly.received, monthly.finished) == (2569, 5, 3)
    assert monthly.in_progress == 2
    months = [row[0] for row in monthly.table.rows]
    assert months[:6] == [
        "ตุลาคม 2568",
        "พฤศจิกายน 2568",
        "ธันวาคม 2568",
        "มกราคม 2569",
        "กุมภาพันธ์ 2569",
        "มีนาคม 2569",
    ]
    assert months[6:] == ["รวม"]  # April had not begun on 31 March
    assert monthly.table.rows[1][1:] == [2, 1, 1]  # November: B finished, C in progress
    assert len(general_monthly(date(2026, 5, 2)).table.rows) == 9  # October to May, and total
    assert integrity_monthly(date(2026, 3, 31)).received == 0


def test_ita_evidence_pages_say_so_when_there_were_none(client, dataset):
    # Today (the fiscal year 2570) has no case in the data set.
    general = client.get("/statistics/complaints").get_data(as_text=True)
    assert "ไม่มีเรื่องร้องเรียน" in general and "ตุลาคม" in general
    integrity = client.get("/statistics/integrity").get_data(as_text=True)
    assert "ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ" in integrity
    assert "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ" in integrity
    assert "ITA" in integrity and "O18" in integrity
