"""An officer signs in, accepts the case a resident filed, replies; the resident sees the reply."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.factories import USER_PASSWORD, make_user


def test_officer_accepts_and_replies_and_the_resident_sees_it(live_server, page, browser):
    # Made before any page is served: the test and the live server share one database
    # connection (each test's transaction), so the test never uses it while a page loads.
    officer = make_user(roles=("officer",), display_name="สมชาย ใจดี")

    # The resident files a complaint from a phone.
    page.goto(live_server + "/complaints/new")
    page.get_by_label("หมวดเรื่อง").select_option(label="ถนน สะพาน ทางเท้า")
    page.get_by_label("เรื่อง", exact=True).fill("ไฟถนนดับหน้าโรงเรียน")
    page.get_by_label("รายละเอียด").fill("ไฟถนนหน้าโรงเรียนบ้านจอหอดับมาหนึ่งสัปดาห์ มืดมากตอนกลางคืน")
    page.get_by_label("ข้าพเจ้ารับทราบประกาศความเป็นส่วนตัวข้างต้น").check()
    page.get_by_role("button", name="ส่งเรื่อง").click()
    code = page.locator("#tracking-code").inner_text()
    status_link = page.locator(".status-link a").get_attribute("href")

    # An officer of กองช่าง signs in on a desktop browser and finds it in the queue.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    office = desk.new_page()
    office.set_default_timeout(15_000)
    office.goto(live_server + "/staff/cases")
    office.get_by_label("อีเมล").fill(officer.email)
    office.get_by_label("รหัสผ่าน").fill(USER_PASSWORD)
    office.get_by_role("button", name="เข้าสู่ระบบ").click()
    office.get_by_label("ค้นหา (เลขรับเรื่อง เรื่อง รายละเอียด)").fill("โรงเรียนบ้านจอหอ")
    office.get_by_role("button", name="ค้นหา", exact=True).click()
    office.get_by_role("link", name=code).click()

    office.get_by_role("button", name="ตอบรับเรื่อง").click()
    # The case page shows a status before and after the click: wait for the new one.
    expect(office.locator("#case-status")).to_have_text("ตอบรับเรื่องแล้ว")
    office.get_by_label("ข้อความถึงผู้ร้อง").fill("ช่างไฟฟ้าจะเข้าซ่อมภายในวันพรุ่งนี้ครับ")
    office.get_by_role("button", name="ส่งคำตอบ").click()
    expect(office.get_by_text("ส่งคำตอบถึงผู้ร้องแล้ว")).to_be_visible()
    desk.close()

    # The resident opens the status link again and reads the answer.
    page.goto(status_link)
    expect(page.locator("#case-status")).to_have_text("ตอบรับเรื่องแล้ว")
    expect(page.get_by_text("ช่างไฟฟ้าจะเข้าซ่อมภายในวันพรุ่งนี้ครับ")).to_be_visible()
