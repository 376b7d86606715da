"""Staff pages on a 360-px phone: the menu of each role, and no page wider than the screen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import USER_PASSWORD, make_case, make_user, totp_code

PHONE_WIDTH = 360
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

# What each role finds in the menu on a phone, and a link it must not see.
MENUS = {
    "officer": (["รายการเรื่อง", "บันทึกเรื่องใหม่", "การแจ้งเตือนของฉัน"], "ผู้ใช้งาน"),
    "supervisor": (["รายการเรื่อง", "ทุกเรื่อง", "รายงานสรุปผลรอบ ๖ เดือน"], "ผู้ใช้งาน"),
    "admin": (
        [
            "ผู้ใช้งาน",
            "หมวดเรื่อง",
            "หน่วยงาน",
            "ข้อความสำเร็จรูป",
            "กำหนดเวลาตอบรับ/แจ้งผล",
            "บันทึกการเข้าถึง",
            "การแจ้งเตือนที่ส่งออก",
        ],
        "รายการเรื่อง",
    ),
    "integrity": (["เรื่องร้องเรียนการทุจริต"], "รายการเรื่อง"),
    "executive": (
        ["การแจ้งเตือนของฉัน", "รายงานสรุปผลรอบ ๖ เดือน", "สถิติเรื่องร้องเรียน"],
        "รายการเรื่อง",
    ),
}


def sign_in(page, base_url: str, user) -> None:
    """Sign in through the pages, with the second factor where the role needs one."""
    page.goto(base_url + "/staff/login")
    page.get_by_label("อีเมล").fill(user.email)
    page.get_by_label("รหัสผ่าน").fill(USER_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    if page.url.endswith("/staff/login/code"):
        page.get_by_label("รหัสยืนยัน").fill(totp_code(user))
        page.get_by_role("button", name="ยืนยัน").click()
    expect(page.locator("#staff-menu")).to_be_visible()


def page_width(page) -> int:
    """How wide the page is laid out: more than the screen means sideways scrolling.

    Measured once the page has loaded: before its stylesheet applies, a table is laid out
    unstyled (and wider) on a slow machine.
    """
    page.wait_for_load_state("load")
    return int(page.evaluate("document.documentElement.scrollWidth"))


@pytest.mark.parametrize("role", sorted(MENUS))
def test_each_role_finds_its_pages_in_the_menu_on_a_phone(live_server, page, role):
    shown, hidden = MENUS[role]
    sign_in(page, live_server, make_user(roles=(role,)))
    menu = page.locator("#staff-menu")
    for label in shown:
        expect(menu.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name=hidden, exact=True)).to_have_count(0)
    assert page_width(page) <= PHONE_WIDTH
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"staff-menu-{role}-360.png"))
    # The menu is there on the next page too, and marks where the user is.
    menu.get_by_role("link", name=shown[0], exact=True).click()
    expect(page.locator("#staff-menu a[aria-current=page]")).to_have_text(shown[0])
    assert page_width(page) <= PHONE_WIDTH


def test_queue_and_case_page_fit_a_phone_with_buttons_photos_and_map(live_server, page):
    long_word = "ไฟถนนดับ" * 12  # Thai has no spaces: one long run must still wrap
    case, _ = make_case(
        with_attachment=True,
        subject="ไฟถนนดับหน้าโรงเรียนบ้านจอหอ หมู่ 3 ตรงข้ามศาลาประชาคม",
        details=f"{long_word}\nhttps://example.com/{'a' * 80}",
        location_text="หน้าโรงเรียนบ้านจอหอ",
        latitude=14.979912,
        longitude=102.097734,
        contact_name="นางสมศรี ใจงาม",
        contact_email="somsri.jaingam.long.address@example.com",
    )
    sign_in(page, live_server, make_user(roles=("officer", "supervisor")))
    page.goto(live_server + "/staff/cases")
    expect(page.get_by_role("link", name=case.code)).to_be_visible()
    assert page_width(page) <= PHONE_WIDTH
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "staff-queue-360.png"))

    page.get_by_role("link", name=case.code).click()
    expect(page.get_by_role("button", name="ตอบรับเรื่อง")).to_be_visible()
    expect(page.get_by_role("button", name="ส่งต่อหน่วยงานอื่น")).to_be_visible()
    photo = page.locator(".photos img")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()  # a lazy image below the fold loads when it is near
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth > 0")
    assert page.locator("#map-link").get_attribute("href").endswith("query=14.979912,102.097734")
    assert page_width(page) <= PHONE_WIDTH, page_width(page)
    page.screenshot(path=str(ARTIFACTS / "staff-case-page-360.png"), full_page=True)

    page.get_by_role("button", name="ตอบรับเรื่อง").click()
    expect(page.locator("#case-status")).to_have_text("ตอบรับเรื่องแล้ว")


def test_officer_keys_in_a_walk_in_case_with_a_buddhist_era_date_and_gets_the_slip(
    live_server, page
):
    sign_in(page, live_server, make_user(roles=("officer",)))
    page.locator("#staff-menu").get_by_role("link", name="บันทึกเรื่องใหม่").click()
    day = page.get_by_label("วันที่รับเรื่อง")
    assert day.get_attribute("type") == "text"  # not the browser's own mm/dd/yyyy picker
    assert day.input_value().endswith("/" + str(date.today().year + 543))
    expect(page.locator("#pin-location")).to_have_count(0)
    page.get_by_label("ช่องทางที่รับเรื่อง").select_option(label="มาด้วยตนเอง")
    day.fill("๒๕/๑๑/๒๕๖๙")  # Thai digits, day first, Buddhist Era
    page.get_by_label("เวลา (ถ้าทราบ)").fill("10:30")
    page.get_by_label("หมวดเรื่อง").select_option(label="ถนน สะพาน ทางเท้า")
    page.get_by_label("เรื่อง", exact=True).fill("ถนนลูกรังเป็นหลุมหมู่ 4")
    page.get_by_label("รายละเอียด").fill("นายสมหมายมาแจ้งที่สำนักงานว่าถนนเป็นหลุมหลายจุด")
    page.get_by_label("เบอร์โทรศัพท์").fill("๐๘๑๒๓๔๕๖๗๘")
    page.get_by_role("button", name="บันทึกเรื่องและพิมพ์ใบรับเรื่อง").click()
    # The privacy notice was not confirmed: everything typed is still there.
    expect(page.get_by_text("กรุณาแจ้งประกาศความเป็นส่วนตัวให้ผู้ร้องทราบ")).to_be_visible()
    expect(page.get_by_label("วันที่รับเรื่อง")).to_have_value("25/11/2569")
    page.get_by_label("เจ้าหน้าที่ได้แจ้งหรืออ่านประกาศความเป็นส่วนตัวให้ผู้ร้องทราบแล้ว").check()
    page.get_by_role("button", name="บันทึกเรื่องและพิมพ์ใบรับเรื่อง").click()

    slip = page.locator("#receipt-slip")
    expect(slip.get_by_role("heading", name="ใบรับเรื่อง")).to_be_visible()
    expect(page.locator("#slip-received")).to_have_text("25 พ.ย. 2569 เวลา 10:30 น.")
    expect(page.locator("#staff-menu")).to_be_visible()  # still inside the staff pages
    expect(page.locator(".slip .qr")).to_have_js_property("complete", True)
    assert page.locator(".slip .qr").evaluate("img => img.naturalWidth > 0")
    assert page_width(page) <= PHONE_WIDTH
    page.screenshot(path=str(ARTIFACTS / "staff-receipt-slip-360.png"), full_page=True)
    # On paper: the slip with the body's header, without the menu or the buttons.
    page.emulate_media(media="print")
    expect(page.locator("#staff-menu")).to_be_hidden()
    expect(page.get_by_role("button", name="พิมพ์ใบรับเรื่อง")).to_be_hidden()
    expect(slip.locator(".slip-org")).to_be_visible()


def test_queue_date_filter_takes_and_shows_buddhist_era_dates(live_server, page):
    sign_in(page, live_server, make_user(roles=("officer",)))
    page.goto(live_server + "/staff/cases")
    page.get_by_label("รับเรื่องตั้งแต่วันที่").fill("1/10/2569")
    page.get_by_role("button", name="ค้นหา", exact=True).click()
    expect(page.get_by_label("รับเรื่องตั้งแต่วันที่")).to_have_value("01/10/2569")
    page.get_by_label("รับเรื่องตั้งแต่วันที่").fill("31/02/2569")
    page.get_by_role("button", name="ค้นหา", exact=True).click()
    expect(page.get_by_text("กรุณาระบุวันที่แบบ วัน/เดือน/ปี พ.ศ.")).to_be_visible()
