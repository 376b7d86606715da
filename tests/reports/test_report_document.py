"""The six-monthly report as an official document: the memo, the measures table, the annex,
and the same figures in every output."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from flask_babel import refresh
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select

from app.extensions import db
from reports.models import ReportMeasure
from reports.periods import Period
from reports.services import measure_rows, period_from_args
from reports.terms import top_terms
from tests.reports.conftest import TODAY
from tests.reports.test_summary_pages import ROUND_1, THAI_DIGITS, as_extracted, csv_rows

ROUND_2 = {"fy": "2569", "round": "2"}


def pdf_pages(response) -> list[str]:
    """The text of each page of a PDF response."""
    # Extraction reads SARA AA and SARA AM back either way round (HarfBuzz draws ำ from
    # NIKHAHIT and SARA AA, and the font subset maps that glyph to one of them): compare
    # both sides with ำ written as า.
    # Lines wrap anywhere, so spaces and line breaks are left out too.
    reader = PdfReader(io.BytesIO(response.data))
    return [squash(page.extract_text()) for page in reader.pages]


def squash(text: str) -> str:
    """``text`` as compared with a PDF's: no whitespace, ำ written as า."""
    return re.sub(r"\s+", "", as_extracted(text))


def thai(text: object) -> str:
    """``text`` with Thai digits, as the PDF prints figures."""
    return str(text).translate(THAI_DIGITS)


def test_pdf_first_page_is_the_memo_with_its_signature_blocks(login_as, dataset):
    pages = pdf_pages(login_as("executive").get("/reports/summary.pdf", query_string=ROUND_1))
    memo = pages[0]
    for words in (
        "บันทึกข้อความ",
        "ส่วนราชการ",
        "ที่",
        "วันที่",
        "เรื่อง",
        "เรียน",
        "รอบที่ ๑ ปีงบประมาณ พ.ศ. ๒๕๖๙",
        "ทั้งสิ้น ๕ เรื่อง",  # the findings, in plain words
        "จึงเรียนมาเพื่อโปรดทราบ",
        "ผู้รายงาน",
        "ความเห็นปลัด",
        "ทราบ",
        "อนุมัติ",
        "อื่น ๆ",
    ):
        assert squash(words) in memo, words
    assert squash("ตารางที่แนบ") in memo and "ภาคผนวก" in memo
    assert "มัธยฐาน" not in "".join(pages) and "P90" not in "".join(pages)
    assert pages[-1].endswith(f"-{thai(len(pages))}-")  # Thai page numbers


def test_pdf_measures_table_comes_before_the_statistics_and_is_filled(login_as, dataset):
    pages = pdf_pages(login_as("executive").get("/reports/summary.pdf", query_string=ROUND_1))
    text = "\n".join(pages[1:])
    measures_at = text.index(squash("ผลการดำเนินการตามมาตรการ"))
    assert measures_at < text.index("ภาคผนวก")
    for heading in ("มาตรการ/แนวทาง", "วิธีการดำเนินการ", "ผลการดำเนินการ", "ความสำเร็จของการดำเนินการ"):
        assert squash(heading) in text
    for indicator in ("ตัวชี้วัดที่ ๗", "ตัวชี้วัดที่ ๘", "ตัวชี้วัดที่ ๒ การใช้งบประมาณ"):
        assert squash(indicator) in text
    # The figures the system knows: channels in use with their cases, the corruption channel.
    assert squash("ช่องทางที่มีผู้ใช้ในรอบนี้ ๓ ช่องทาง") in text  # web, LINE, phone
    assert squash("รอบนี้ไม่มีเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ") in text


def test_an_empty_chart_says_no_data_instead(login_as, app):
    html = (
        login_as("executive")
        .get("/reports/summary", query_string={"fy": "2560", "round": "1"})
        .get_data(as_text=True)
    )
    assert 'src="data:image/svg+xml' not in html
    assert html.count("ไม่มีข้อมูล") >= 4


def test_the_report_opens_on_the_latest_round_with_cases(app, dataset):
    # Case H (1 Apr 2026) is the latest: round 2 of 2569, though today is in 2570's round 1.
    assert period_from_args({}, TODAY) == Period.for_round(2569, 2)
    assert period_from_args({}, date(2026, 3, 31)) == Period.for_round(2569, 1)


def test_measures_start_from_the_previous_round_and_are_saved_on_first_edit(login_as, dataset):
    officer = login_as("officer")
    starting = measure_rows(Period.for_round(2569, 1))
    assert {row.indicator for row in starting} == {"eit7", "eit8", "iit2"}
    response = officer.post(
        "/reports/summary/measures",
        data={
            "period": "2569-1",
            "position": "0",
            "measure": "ประชาสัมพันธ์ช่องทาง",
            "method": "๑. ติดป้าย QR code ทุกหมู่บ้าน",
            "result": "ติดป้ายครบ ๑๒ หมู่บ้าน",
            "success": "ประชาชนรู้จักช่องทาง LINE มากขึ้น",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reports/summary?fy=2569&round=1#measure-0")
    saved = db.session.scalar(
        select(func.count()).select_from(ReportMeasure).where(ReportMeasure.period_key == "2569-1")
    )
    assert saved == len(starting)  # the whole table is kept, not only the edited row
    # Round 2 starts from round 1 as edited.
    carried = measure_rows(Period.for_round(2569, 2))
    assert carried[0].text.result == "ติดป้ายครบ ๑๒ หมู่บ้าน"
    assert [r.text for r in carried[1:]] == [r.text for r in starting[1:]]
    html = officer.get("/reports/summary", query_string=ROUND_2).get_data(as_text=True)
    assert "ติดป้ายครบ ๑๒ หมู่บ้าน" in html


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"period": "2569-9", "position": "0"}, 400),  # no such round
        ({"period": "nonsense", "position": "0"}, 400),
        ({"period": "2569-1", "position": "x"}, 400),
        ({"period": "2569-1", "position": "99"}, 400),  # no such row
    ],
)
def test_a_bad_measure_edit_is_refused_with_a_message(login_as, dataset, data, expected):
    response = login_as("officer").post("/reports/summary/measures", data=data)
    assert response.status_code == expected
    assert not db.session.scalar(select(func.count()).select_from(ReportMeasure))


def test_a_too_long_measure_comes_back_as_typed(login_as, dataset):
    typed = "ก" * 4001
    response = login_as("officer").post(
        "/reports/summary/measures",
        data={"period": "2569-1", "position": "1", "measure": "ตอบคำถาม", "method": typed},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert typed in html and "ยาวเกินไป" in html


def test_executives_may_not_edit_measures(login_as, dataset):
    response = login_as("executive").post(
        "/reports/summary/measures", data={"period": "2569-1", "position": "0"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"fy": "2569", "round": "3"},
        {"fy": "abc"},
        {"start": "2026-02-30", "end": "2026-03-01"},
        {"start": "2026-03-01", "end": "2026-01-01"},
        {"start": "2026-01-01"},
    ],
)
@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv"])
def test_a_file_of_a_bad_period_is_refused(login_as, app, query, fmt):
    response = login_as("executive").get(f"/reports/summary.{fmt}", query_string=query)
    assert response.status_code == 400
    assert "ช่วงเวลาไม่ถูกต้อง" in response.get_data(as_text=True)


def test_every_output_carries_the_same_figures(login_as, dataset):
    executive = login_as("executive")
    html = executive.get("/reports/summary", query_string=ROUND_1).get_data(as_text=True)
    workbook = load_workbook(
        io.BytesIO(executive.get("/reports/summary.xlsx", query_string=ROUND_1).data)
    )
    rows = csv_rows(executive, ROUND_1)
    pdf = "\n".join(pdf_pages(executive.get("/reports/summary.pdf", query_string=ROUND_1)))
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    overview = workbook.worksheets[2]
    figures = {
        overview.cell(row=r, column=1).value: overview.cell(row=r, column=2).value
        for r in range(3, overview.max_row + 1)
    }
    expected = {
        "เรื่องที่ได้รับในรอบนี้": 5,
        "เรื่องที่เกินกำหนด ณ สิ้นรอบ": 2,
        "ครึ่งหนึ่งของเรื่องแจ้งผลภายใน (วันทำการ)": 11,
        "เก้าในสิบของเรื่องแจ้งผลภายใน (วันทำการ)": 21,  # 20.6 working days: within 21
        "จำนวนผู้ประเมินความพึงพอใจ": 3,
    }
    for label, value in expected.items():
        assert figures[label] == value, label
        assert [label, str(value)] in rows, label
        assert f"{label}</th>" in html and f'<td class="n">{value}</td>' in html, label
        assert squash(f"{label} {thai(value)}") in pdf, label
    assert squash("ครึ่งหนึ่งของเรื่องแจ้งผลภายใน ๑๑ วันทำการ") in pdf  # the memo, in words


def test_top_words_leave_out_the_body_name_and_generic_words():
    texts = [
        "ถนนหน้าวัดเป็นหลุม แจ้ง อบต.จอหอ มาสองสัปดาห์แล้ว",
        "ถนนหน้าบ้านเป็นหลุม องค์การบริหารส่วนตำบลจอหอช่วยด้วย",
        "ไฟดับทุกสัปดาห์ หน้าตลาด",
    ]
    words = {term.word for term in top_terms(texts, org_name="องค์การบริหารส่วนตำบลจอหอ")}
    assert {"ถนน", "หลุม"} <= words
    assert not words & {"หน้า", "สัปดาห์", "จอ", "หอ", "จอหอ", "อบต", "องค์การบริหารส่วนตำบล"}


def test_chart_figures_can_be_written_in_thai_digits():
    from reports.charts import bar_chart

    arabic = bar_chart(["ต.ค. 68"], [12], "ทดสอบ")
    thai_digits = bar_chart(["ต.ค. 68"], [12], "ทดสอบ", thai_digits=True)
    assert arabic != thai_digits  # the same chart, other glyphs for its figures


def test_the_memo_reads_in_english_in_the_english_interface(login_as, dataset):
    executive = login_as("executive")
    executive.post("/lang", data={"lang": "en"})
    refresh()  # the test's app context outlives requests and would keep the Thai it cached
    page = executive.get("/reports/summary", query_string=ROUND_1).get_data(as_text=True)
    assert "Integrity and transparency measures taken" in page
    memo = pdf_pages(executive.get("/reports/summary.pdf", query_string=ROUND_1))[0]
    assert squash("Memorandum") in memo and squash("Order of the Mayor") in memo


def test_too_long_findings_come_back_as_typed(login_as, dataset):
    typed = "ข" * 20_001
    response = login_as("officer").post(
        "/reports/summary/note", data={"period": "2569-1", "narrative": typed}
    )
    assert response.status_code == 400
    assert typed in response.get_data(as_text=True)
