"""A second resident is shown the open case of the same problem and supports it; an officer
resolves a case with an after photo and its resident sees before and after side by side."""

from __future__ import annotations

from playwright.sync_api import expect

from app.extensions import db
from notifications.worker import worker_for
from tests.factories import USER_PASSWORD, make_case, make_user, png_bytes
from tests.notifications.conftest import mail_settings, smtp_server  # noqa: F401 (fixture)

PLACE = "หน้าโรงเรียนบ้านจอหอ หมู่ 3"


def _sign_in(browser, base, email):
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    office = desk.new_page()
    office.set_default_timeout(15_000)
    office.goto(base + "/staff/cases")
    office.get_by_label("อีเมล").fill(email)
    office.get_by_label("รหัสผ่าน").fill(USER_PASSWORD)
    office.get_by_role("button", name="เข้าสู่ระบบ").click()
    office.wait_for_url("**/staff/cases")
    return office


def test_second_resident_supports_the_open_case_and_hears_its_next_status(
    app,
    live_server,
    page,
    browser,
    smtp_server,  # noqa: F811 (the fixture)
):
    # Made before any page is served (the test and the live server share one connection).
    officer = make_user(roles=("officer",))
    first, _ = make_case(
        subject="ถนนเป็นหลุมลึกหน้าโรงเรียน",
        details="ถนนหน้าโรงเรียนบ้านจอหอเป็นหลุมลึก รถจักรยานยนต์ล้มบ่อย อันตรายมาก",
        location_text=PLACE,
        contact_name="สมชาย ผู้แจ้งคนแรก",
    )

    page.goto(live_server + "/complaints/new")
    page.get_by_label("หมวดเรื่อง").select_option(label="ถนน สะพาน ทางเท้า")
    page.get_by_label("เรื่อง", exact=True).fill("หลุมบนถนนหน้าโรงเรียน")
    page.get_by_label("รายละเอียด").fill("หน้าโรงเรียนบ้านจอหอมีหลุมลึกกลางถนน รถล้มเมื่อวาน")
    page.get_by_label("สถานที่เกิดเหตุ").fill(PLACE)
    page.get_by_label("อีเมล").fill("neighbour@example.com")
    page.get_by_label("ข้าพเจ้ารับทราบประกาศความเป็นส่วนตัวข้างต้น").check()
    page.get_by_role("button", name="ส่งเรื่อง").click()

    suggestions = page.locator("#duplicates")
    expect(suggestions).to_contain_text("ถนน สะพาน ทางเท้า")
    expect(suggestions).to_contain_text(PLACE)
    expect(suggestions).not_to_contain_text("สมชาย")
    expect(suggestions).not_to_contain_text("รถจักรยานยนต์ล้มบ่อย")
    # What the resident typed is still there.
    expect(page.get_by_label("รายละเอียด")).to_have_value(
        "หน้าโรงเรียนบ้านจอหอมีหลุมลึกกลางถนน รถล้มเมื่อวาน"
    )
    suggestions.get_by_role("button", name="แจ้งเหมือนกัน").click()
    expect(page.get_by_text("บันทึกว่าท่านแจ้งเหมือนกัน")).to_be_visible()

    office = _sign_in(browser, live_server, officer.email)
    office.goto(f"{live_server}/staff/cases/{first.id}")
    expect(office.locator("#support-count")).to_have_text("1 คน")
    expect(office.locator("#subscribers")).to_contain_text("neighbour@example.com")
    office.get_by_role("button", name="ตอบรับเรื่อง").click()
    expect(office.locator("#case-status")).to_have_text("ตอบรับเรื่องแล้ว")
    office.context.close()

    # The outbox delivers the change to the supporter (real SMTP on loopback).
    app.config.update(mail_settings(smtp_server.port))
    worker = worker_for(app.config, db.new_session)
    worker.drain()
    worker.close()
    bodies = [message.get_content() for message in smtp_server.to("neighbour@example.com")]
    assert any("ตอบรับเรื่องแล้ว" in body and "/follow/stop/" in body for body in bodies)


def test_officer_resolves_with_an_after_photo_and_the_resident_sees_before_and_after(
    live_server, page, browser, tmp_path
):
    officer = make_user(roles=("officer",))
    case, result = make_case(with_attachment=True)
    photo = tmp_path / "fixed.png"
    photo.write_bytes(png_bytes((60, 40)))

    office = _sign_in(browser, live_server, officer.email)
    office.goto(f"{live_server}/staff/cases/{case.id}")
    office.get_by_role("button", name="เริ่มดำเนินการ").click()
    expect(office.locator("#case-status")).to_have_text("อยู่ระหว่างดำเนินการ")
    office.locator("#move-reason").fill("ซ่อมถนนเรียบร้อยแล้ว")
    office.locator("#move-after-photos").set_input_files(str(photo))
    office.get_by_role("button", name="แจ้งผลดำเนินการแล้วเสร็จ").click()
    expect(office.locator("#staff-after-photos img")).to_have_count(1)
    office.context.close()

    page.goto(f"{live_server}/track/{result.code}/{result.token}")
    pair = page.locator("#before-after")
    expect(pair.locator(".before img")).to_have_count(1)
    expect(pair.locator(".after img")).to_have_count(1)
    # Side by side on a phone: the after photo is to the right of the before photo.
    before = pair.locator(".before img").bounding_box()
    after = pair.locator(".after img").bounding_box()
    assert after["x"] > before["x"] + before["width"] - 1
    assert abs(after["y"] - before["y"]) < 5
    pair.scroll_into_view_if_needed()  # the photos load lazily: wait for the after one
    page.wait_for_function(
        "() => { const img = document.querySelector('#before-after .after img');"
        " return img !== null && img.complete && img.naturalWidth > 0; }"
    )
    loaded = pair.locator(".after img").evaluate("img => img.naturalWidth")
    assert loaded == 60
