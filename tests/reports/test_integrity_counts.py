"""The corruption track in reports: counts only, and only for integrity officers and executives."""

from __future__ import annotations

import pytest

from app.extensions import db
from tests.integrity.conftest import ACCUSED, DETAILS, make_report
from tests.reports.conftest import bkk

ROUND_1 = {"fy": "2569", "round": "1"}


@pytest.fixture
def reports(app):
    """Three misconduct reports and one budget objection in round 1 of 2569, one before it."""
    made = []
    for day, status, outcome in (
        (6, "closed", "unfounded"),
        (7, "closed", "referred_nacc"),
        (8, "in_progress", None),
    ):
        report, _ = make_report(received_at=bkk(2025, 11, day, 10, 0))
        report.status, report.outcome = status, outcome
        made.append(report)
    budget, _ = make_report(kind="budget_objection", received_at=bkk(2026, 1, 5, 10, 0))
    made.append(budget)
    make_report(received_at=bkk(2025, 9, 30, 10, 0))  # fiscal year 2568
    db.session.commit()
    return made


@pytest.mark.parametrize(
    ("roles", "shown"),
    [
        (("executive",), True),
        (("integrity",), True),
        (("supervisor",), False),
        (("officer",), False),
    ],
)
def test_counts_appear_only_to_integrity_officers_and_executives(login_as, reports, roles, shown):
    html = login_as(*roles).get("/reports/summary", query_string=ROUND_1).get_data(as_text=True)
    assert ("เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ (จำนวนเท่านั้น)" in html) is shown
    assert ACCUSED not in html and DETAILS not in html
    for report in reports:
        assert report.code not in html


def test_counts_by_status_and_outcome(login_as, reports):
    client = login_as("executive")
    rows = client.get("/reports/summary.csv", query_string=ROUND_1).get_data(as_text=True)
    assert "ได้รับทั้งหมด,4" in rows
    assert "การทุจริตและประพฤติมิชอบของเจ้าหน้าที่,3" in rows
    assert "ปิดเรื่อง,2" in rows
    assert "ไม่มีมูล,1" in rows and "ส่งเรื่องให้ ป.ป.ช.,1" in rows
    assert ACCUSED not in rows and DETAILS not in rows


def test_public_statistics_show_corruption_counts_only_with_suppression(client, app, reports):
    html = client.get("/statistics").get_data(as_text=True)
    assert "เรื่องร้องเรียนการทุจริตและประพฤติมิชอบ (จำนวนเท่านั้น)" in html
    assert ACCUSED not in html and DETAILS not in html
    app.config["PUBLIC_STATS_MIN_COUNT"] = 1
    rows = client.get("/statistics.csv").get_data(as_text=True)
    assert "พ.ศ. 2569,4,2,2" in rows
    assert "พ.ศ. 2568,1,0,1" in rows
    app.config["PUBLIC_STATS_MIN_COUNT"] = 3
    rows = client.get("/statistics.csv").get_data(as_text=True)
    # 2568's single report is hidden, so 2569's 4 is too (the total would give it away)
    assert "พ.ศ. 2568,<3,<3,<3" in rows and "พ.ศ. 2569,<3,<3,<3" in rows
    assert "รวม,5,<3,<3" in rows
