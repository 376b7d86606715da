"""A resident files a complaint with Thai text and a photo from a phone, then follows it."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.factories import png_bytes


def test_resident_files_a_complaint_with_a_photo_and_opens_the_status_page(
    live_server, page, tmp_path
):
    photo = tmp_path / "หลุม.png"
    photo.write_bytes(png_bytes((40, 30)))

    page.goto(live_server + "/")
    page.get_by_role("link", name="ร้องเรียน / ร้องทุกข์").click()
    page.get_by_label("ร้องทุกข์").check()
    page.get_by_label("หมวดเรื่อง").select_option(label="ถนน สะพาน ทางเท้า")
    page.get_by_label("เรื่อง", exact=True).fill("ถนนหน้าวัดเป็นหลุมลึก")
    page.get_by_label("รายละเอียด").fill("ถนนหน้าวัดหมู่ 3 เป็นหลุมลึกหลายจุด รถล้มบ่อยตอนกลางคืน")
    page.get_by_label("แนบรูปภาพหรือไฟล์ PDF").set_input_files(str(photo))
    page.get_by_label("เบอร์โทรศัพท์").fill("0812345678")
    page.get_by_label("ข้าพเจ้ารับทราบประกาศความเป็นส่วนตัวข้างต้น").check()
    page.get_by_role("button", name="ส่งเรื่อง").click()

    code = page.locator("#tracking-code").inner_text()
    assert re.fullmatch(r"R\d{2}-\d{6}", code)
    status_link = page.locator(".status-link a").get_attribute("href")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling

    page.goto(status_link)
    expect(page.locator("#case-status")).to_have_text("รับเรื่องแล้ว รอตรวจสอบ")
    # The link's token is traded for a cookie: the address bar (and history) no longer holds it.
    assert page.url == f"{live_server}/track/{code}"
    assert "ถนนหน้าวัดเป็นหลุมลึก" in page.content()
    assert "0812345678" not in page.content()

    page.goto(live_server + "/track")
    page.get_by_label("เลขรับเรื่อง").fill(code.lower())
    page.get_by_label("เบอร์โทรศัพท์ที่ให้ไว้").fill("081-234-5678")
    page.get_by_role("button", name="ดูสถานะ").click()
    expect(page.locator("h1 .code")).to_have_text(code)
    assert page.url == f"{live_server}/track/{code}"


def test_resident_who_forgets_a_field_keeps_what_was_typed(live_server, page):
    page.goto(live_server + "/feedback/new")
    page.get_by_label("รายละเอียด").fill("อยากให้มีถังขยะแยกประเภทที่ตลาดนัดวันพุธ")
    page.get_by_role("button", name="ส่งเรื่อง").click()
    # The click submits and the server answers with the same page: wait for its messages.
    expect(page.get_by_text("กรุณาเลือกหมวดเรื่อง")).to_be_visible()
    expect(page.get_by_text("กรุณารับทราบประกาศความเป็นส่วนตัวก่อนส่ง")).to_be_visible()
    expect(page.get_by_label("รายละเอียด")).to_have_value("อยากให้มีถังขยะแยกประเภทที่ตลาดนัดวันพุธ")


def test_resident_copies_the_receipt_saves_it_as_a_picture_and_sees_the_photo(
    live_server, page, tmp_path
):
    from tests.factories import make_case

    case, result = make_case(with_attachment=True)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"{live_server}/track/{result.code}/{result.token}?new=1")
    expect(page.locator("#receipt-tools")).to_be_visible()  # shown once its script runs
    page.get_by_role("button", name="คัดลอกเลขรับเรื่องและลิงก์").click()
    expect(page.locator("#receipt-tools-status")).to_have_text("คัดลอกแล้ว")
    with page.expect_download() as download:
        page.get_by_role("button", name="บันทึกเป็นรูปภาพ").click()
    saved = tmp_path / "receipt.png"
    download.value.save_as(saved)
    assert download.value.suggested_filename == f"{case.code}.png"
    assert saved.read_bytes().startswith(b"\x89PNG") and saved.stat().st_size > 2000
    photo = page.locator("#own-photos img")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()  # a lazy image below the fold loads when it is near
    expect(photo).to_have_js_property("complete", True)
    assert photo.evaluate("img => img.naturalWidth > 0")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
