"""An anonymous reporter files a misconduct report from a phone, then follows it up."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.extensions import db
from integrity.models import IntegrityReport
from integrity.reporter import send_to_reporter


def test_anonymous_report_and_follow_up_with_the_receipt(live_server, page):
    page.goto(live_server + "/")
    page.get_by_role("link", name="ไปที่ช่องทางแจ้งการทุจริต").click()
    page.get_by_role("link", name="แจ้งการทุจริตหรือประพฤติมิชอบ").click()
    expect(page.get_by_label("ไม่เปิดเผยตัวตน (แนะนำ)")).to_be_checked()
    page.get_by_label("ผู้ถูกกล่าวหา: ชื่อหรือตำแหน่ง (ไม่บังคับ)").fill("หัวหน้าฝ่ายพัสดุ")
    page.get_by_label("เกิดอะไรขึ้น").fill("เรียกรับเงินจากผู้รับเหมาเพื่อให้ผ่านการตรวจรับงาน")
    page.get_by_role("button", name="ส่งเรื่องอย่างปลอดภัย").click()

    receipt = page.locator("#receipt").inner_text()
    assert re.fullmatch(r"\d{4}( \d{4}){4}", receipt)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The organisation and the code stay within the phone's screen.
    for part in (".proof-code", ".proof dd"):
        box = page.locator(part).first.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 360
    # Printing leaves the receipt out unless the reporter ticks the box, and never prints the
    # screen's buttons or the box itself; the paper carries the body's header.
    page.emulate_media(media="print")
    expect(page.locator("#receipt")).to_be_hidden()
    expect(page.locator("#include-receipt")).to_be_hidden()
    expect(page.locator("#print-proof")).to_be_hidden()
    expect(page.locator(".proof-page .slip-org")).to_have_text(re.compile("องค์การบริหารส่วนตำบล"))
    page.emulate_media(media="screen")
    expect(page.locator(".proof-page .slip-org")).to_be_hidden()  # the site header shows it
    page.get_by_label("พิมพ์รหัสติดตามลงในหลักฐานด้วย", exact=False).check()
    page.emulate_media(media="print")
    expect(page.locator("#receipt")).to_be_visible()
    page.emulate_media(media="screen")

    # The test shares the live server's database connection: only once no page is loading.
    page.wait_for_load_state("networkidle")
    report = db.session.query(IntegrityReport).one()
    send_to_reporter(report, "โปรดระบุชื่อโครงการที่เกี่ยวข้อง", staff_id=None)

    page.goto(live_server + "/integrity/follow-up")
    page.get_by_label("รหัสติดตาม 20 หลัก").fill(receipt.replace(" ", ""))
    page.get_by_role("button", name="เปิดดูเรื่อง").click()
    expect(page.locator("#report-status")).to_have_text("รับเรื่องแล้ว รอตรวจสอบ")
    expect(page.get_by_text("โปรดระบุชื่อโครงการที่เกี่ยวข้อง")).to_be_visible()
    page.get_by_label("ข้อความ", exact=True).fill("โครงการก่อสร้างถนนหมู่ 5")
    page.get_by_role("button", name="ส่งข้อความ").click()
    expect(page.get_by_text("ส่งข้อความถึงเจ้าหน้าที่แล้ว")).to_be_visible()
    expect(page.get_by_text("โครงการก่อสร้างถนนหมู่ 5")).to_be_visible()


def test_choosing_anonymous_clears_and_locks_the_name_and_contact(live_server, page):
    page.goto(live_server + "/integrity/report")
    name = page.get_by_label("ชื่อ-นามสกุลของผู้แจ้ง")
    expect(name).to_be_disabled()  # anonymous is the default
    page.get_by_label("ยินดีให้ชื่อและช่องทางติดต่อกับเจ้าหน้าที่รับเรื่องทุจริต").check()
    expect(name).to_be_enabled()
    name.fill("นายสมชาย ใจกล้า")
    page.get_by_label("ไม่เปิดเผยตัวตน (แนะนำ)").check()
    expect(name).to_have_value("")
    expect(name).to_be_disabled()
