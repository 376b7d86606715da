"""The summary page and its files, as executives and officers get them."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from app.extensions import db
from reports.exports import neutralise, to_csv, to_xlsx
from reports.tables import Table

ROUND_1 = {"fy": "2569", "round": "1"}
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def csv_rows(client, query: dict[str, str]) -> list[list[str]]:
    """The rows of the summary's CSV download for ``query``."""
    text = client.get("/reports/summary.csv", query_string=query).get_data(as_text=True)
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def as_extracted(text: str) -> str:
    """Thai as text extraction reads it back from the PDF.

    HarfBuzz's Thai shaper draws SARA AM (ำ) as two glyphs, NIKHAHIT and SARA AA, and the
    PDF's ToUnicode map gives back only SARA AA: pypdf and pdftotext both read "ดาเนินการ".
    The printed page shows ำ; only copied text loses it.
    """
    return text.replace("ำ", "า")


@pytest.mark.parametrize(
    ("roles", "method", "url", "expected"),
    [
        ((), "get", "/reports/summary", 302),
        (("executive",), "get", "/reports/summary", 200),
        (("supervisor",), "get", "/reports/summary", 200),
        (("officer",), "get", "/reports/summary", 200),
        (("integrity",), "get", "/reports/summary", 200),
        (("admin",), "get", "/reports/summary", 403),
        ((), "get", "/reports/summary.csv", 302),
        (("admin",), "get", "/reports/summary.csv", 403),
        (("executive",), "get", "/reports/summary.csv", 200),
        (("executive",), "post", "/reports/summary/note", 403),
        (("officer",), "post", "/reports/summary/note", 302),
    ],
)
def test_who_may_open_the_summary(client, login_as, roles, method, url, expected):
    user_client = login_as(*roles) if roles else client
    data = {"period": "2569-1", "narrative": "x"}
    response = (
        getattr(user_client, method)(url, data=data) if method == "post" else user_client.get(url)
    )
    assert response.status_code == expected


def test_summary_page_shows_figures_narrative_and_charts(login_as, dataset):
    page = login_as("executive").get("/reports/summary", query_string=ROUND_1)
    html = page.get_data(as_text=True)
    assert "รอบที่ 1 ปีงบประมาณ พ.ศ. 2569" in html
    assert "ได้รับเรื่องร้องเรียน ร้องทุกข์ และข้อเสนอแนะทั้งสิ้น 5 เรื่อง" in html
    assert dataset.cases["C"].code in html  # overdue list
    assert html.count('src="data:image/svg+xml;base64,') == 4
    assert "แก้ไขบทสรุป" not in html  # executives read only
    assert "<script" not in html


def test_thai_digits_on_request(login_as, dataset):
    html = (
        login_as("executive")
        .get("/reports/summary", query_string={**ROUND_1, "digits": "thai"})
        .get_data(as_text=True)
    )
    assert "ทั้งสิ้น ๕ เรื่อง" in html
    assert "พ.ศ. ๒๕๖๙" in html


def test_officer_edits_the_findings(login_as, dataset):
    officer = login_as("officer")
    response = officer.post(
        "/reports/summary/note", data={"period": "2569-1", "narrative": "=บทสรุปที่แก้ไข"}
    )
    assert response.headers["Location"].endswith("/reports/summary?fy=2569&round=1")
    html = officer.get("/reports/summary", query_string=ROUND_1).get_data(as_text=True)
    assert "=บทสรุปที่แก้ไข" in html
    rows = csv_rows(officer, ROUND_1)
    assert ["ผลการดำเนินงานโดยสรุป", "'=บทสรุปที่แก้ไข"] in rows


def test_bad_period_falls_back_to_the_last_round(login_as, app):
    page = login_as("executive").get("/reports/summary", query_string={"fy": "abc"})
    assert page.status_code == 200
    assert "ช่วงเวลาไม่ถูกต้อง" in page.get_data(as_text=True)


def test_pdf_has_the_thai_title_and_figures(login_as, dataset):
    response = login_as("executive").get("/reports/summary.pdf", query_string=ROUND_1)
    assert response.mimetype == "application/pdf"
    assert 'filename="rongrian-summary-2569-1.pdf"' in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert as_extracted("ข้อมูลสถิติเรื่องร้องเรียน") in text
    assert "ทั้งสิ้น ๕ เรื่อง" in text  # an official document: Thai digits
    assert dataset.cases["C"].code.translate(THAI_DIGITS) in text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Sarabun" in name for name in fonts)


def test_xlsx_holds_values_never_formulas(login_as, dataset):
    login_as("officer").post(
        "/reports/summary/note",
        data={"period": "2569-1", "narrative": '=HYPERLINK("http://x")'},
    )
    response = login_as("executive").get("/reports/summary.xlsx", query_string=ROUND_1)
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)
    workbook = load_workbook(io.BytesIO(response.data))
    first = workbook["สรุป"]
    values = {row[0].value: row[1].value for row in first.iter_rows(min_row=2) if row[0].value}
    assert values["ผลการดำเนินงานโดยสรุป"] == '=HYPERLINK("http://x")'
    overview = workbook.worksheets[2]  # after the measures table
    assert overview["B3"].value == 5 and overview["B3"].data_type == "n"


def test_export_is_recorded_in_the_audit_log(login_as, dataset):
    from sqlalchemy import select

    from app.audit import AuditEntry

    login_as("executive").get("/reports/summary.csv", query_string=ROUND_1)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "report.exported")
    ).one()
    assert (entry.target_id, entry.detail) == ("2569-1", {"format": "csv"})


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_formula_like_text_is_prefixed(text):
    assert neutralise(text) == "'" + text
    assert neutralise("ถนน=หลุม") == "ถนน=หลุม"
    assert neutralise(-5) == -5


def test_csv_follows_rfc_4180_and_is_safe_in_excel():
    table = Table(
        "t",
        "ตาราง",
        ["ชื่อ", "จำนวน"],
        [['มี "คำพูด", และจุลภาค', 3], ["=cmd|' /C calc'!A0", None], ["บรรทัด\nใหม่", 1.5]],
    )
    data = to_csv([["หัวเรื่อง"]], [table])
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert '"มี ""คำพูด"", และจุลภาค",3\r\n' in text
    assert "'=cmd|' /C calc'!A0,\r\n" in text
    assert '"บรรทัด\nใหม่",1.5\r\n' in text
    outside_quotes = text.replace('"บรรทัด\nใหม่"', "")
    assert outside_quotes.count("\n") == outside_quotes.count("\r\n")  # records end in CRLF


def test_xlsx_writer_stores_formula_like_text_as_text():
    table = Table("t", "ตาราง", ["a"], [["=1+1"], [2]])
    workbook = load_workbook(io.BytesIO(to_xlsx([["x"]], [table])))
    sheet = workbook.worksheets[1]
    assert (sheet["A3"].value, sheet["A3"].data_type) == ("=1+1", "s")
    assert (sheet["A4"].value, sheet["A4"].data_type) == (2, "n")
