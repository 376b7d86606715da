"""The executive reads the six-monthly report; an officer edits a measure of the round.

With ``RONGRIAN_SCREENSHOTS=1`` the report page and the PDF's first page are saved to
``docs/screenshots/`` (the PDF page through ``pdftoppm``, when installed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from playwright.sync_api import expect

from app.auth.demo import DEMO_PASSWORD

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _sign_in(context: object, base: str, email: str) -> object:
    page = context.new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(15_000)
    page.goto(base + "/reports/summary")
    page.get_by_label("อีเมล").fill(email)
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    return page


def _save_pdf_first_page(pdf: bytes) -> None:
    if shutil.which("pdftoppm") is None:
        return
    source = SCREENSHOTS / "report-pdf.pdf"
    source.write_bytes(pdf)
    target = SCREENSHOTS / "report-pdf-page1"
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(target),
        ],
        check=True,
    )
    source.unlink()


def test_executive_reads_the_report_and_an_officer_edits_a_measure(
    live_server, page, browser, runner
):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    saving = bool(os.environ.get("RONGRIAN_SCREENSHOTS"))

    # The executive, on a desktop: the latest round with cases, its measures and statistics.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    report = _sign_in(desk, live_server, "executive@demo.example.com")
    expect(
        report.get_by_role("heading", name="ผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใส")
    ).to_be_visible()
    expect(report.get_by_text("ตัวชี้วัดที่ ๗ ประสิทธิภาพการสื่อสาร")).to_be_visible()
    expect(report.get_by_text("ติดป้าย QR code").first).to_be_visible()  # carried over
    expect(report.get_by_text("ข้อมูลจากระบบ:").first).to_be_visible()
    assert report.get_by_text("แก้ไขมาตรการนี้").count() == 0  # executives read only
    assert "มัธยฐาน" not in report.content()
    pdf = desk.request.get(live_server + "/reports/summary.pdf?fy=2569&round=2")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    if saving:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        report.evaluate("document.getElementById('findings').scrollIntoView()")
        report.screenshot(path=str(SCREENSHOTS / "report-page.png"), full_page=False)
        _save_pdf_first_page(pdf.body())
    desk.close()

    # An officer of สำนักปลัด, on a phone: edits the first measure of the round.
    officer = _sign_in(page.context, live_server, "office@demo.example.com")
    expect(officer.locator("#measures")).to_be_visible()
    officer.wait_for_load_state("load")  # measured with its stylesheet applied, even under load
    width = officer.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, width  # no sideways scroll; wide tables scroll inside their box
    officer.locator("#measures summary", has_text="แก้ไขมาตรการนี้").first.click()
    officer.locator("textarea[name=result]").first.fill("ประชุมประชาคมครบ ๑๒ หมู่บ้าน")
    officer.get_by_role("button", name="บันทึกมาตรการ").first.click()
    expect(officer.get_by_text("บันทึกมาตรการแล้ว")).to_be_visible()
    expect(officer.locator("#measure-0")).to_contain_text("ประชุมประชาคมครบ ๑๒ หมู่บ้าน")


def test_ita_evidence_pages_fit_a_phone(live_server, page, runner):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    for path, heading in (
        ("/statistics/complaints", "ข้อมูลเชิงสถิติเรื่องร้องเรียน ร้องทุกข์ ของหน่วยงาน"),
        ("/statistics/integrity", "ข้อมูลเชิงสถิติเรื่องร้องเรียนการทุจริตและประพฤติมิชอบ"),
    ):
        page.goto(live_server + path)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_text("ตุลาคม").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
