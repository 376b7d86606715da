"""Publishing with privacy first, in Chromium: a resident allows publication, an officer blacks
out part of the photo and publishes, the public list and map show it without contact details,
and the map's tiles come from the (local stub of the) body's tile server."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.test_staff_pages import sign_in
from tests.factories import make_user

PUBLIC_TITLE = "ถนนหน้าโรงเรียนเป็นหลุม"
RESIDENT_NAME = "มานี มีนา"
RESIDENT_PHONE = "0891234567"


def _tile() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (256, 256), (220, 235, 220)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def tile_stub() -> Iterator[tuple[str, list[str]]]:
    """A tile server on loopback: every path answers the same PNG; yields (URL template, paths)."""
    asked: list[str] = []
    body = _tile()

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet: the test reads ``asked`` instead."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png", asked
    server.shutdown()
    server.server_close()


def _photo(tmp_path) -> str:
    """A 400x300 bright photo (the officer blacks out its left half)."""
    path = tmp_path / "หลุม.jpg"
    Image.new("RGB", (400, 300), (240, 200, 40)).save(path, format="JPEG")
    return str(path)


def _file_with_publication_allowed(browser, live_server: str, photo: str) -> str:
    phone = browser.new_context(
        viewport={"width": 360, "height": 740},
        locale="th-TH",
        geolocation={"latitude": 15.0417, "longitude": 102.1362},
        permissions=["geolocation"],
    )
    page = phone.new_page()
    page.set_default_timeout(15_000)
    page.goto(live_server + "/complaints/new")
    page.get_by_label("หมวดเรื่อง").select_option(label="ถนน สะพาน ทางเท้า")
    page.get_by_label("เรื่อง", exact=True).fill("ถนนหน้าบ้านนายมานีเป็นหลุม")
    page.get_by_label("รายละเอียด").fill("ถนนหน้าบ้านเลขที่ 7 หน้าโรงเรียนเป็นหลุมลึก รถล้มทุกวัน")
    page.get_by_role("button", name="ปักหมุดตำแหน่งปัจจุบัน").click()
    expect(page.locator("#pin-status")).not_to_be_empty()
    page.get_by_label("แนบรูปภาพหรือไฟล์ PDF").set_input_files(photo)
    page.get_by_label("ชื่อ-นามสกุล").fill(RESIDENT_NAME)
    page.get_by_label("เบอร์โทรศัพท์").fill(RESIDENT_PHONE)
    expect(page.locator("#publication-notice")).to_contain_text("ไม่แสดงชื่อหรือข้อมูลติดต่อ")
    page.get_by_label("ข้าพเจ้ารับทราบประกาศความเป็นส่วนตัวข้างต้น").check()
    page.get_by_label("ยินยอมให้เผยแพร่เรื่องนี้บนหน้าสาธารณะ").check()
    page.get_by_role("button", name="ส่งเรื่อง").click()
    code = page.locator("#tracking-code").inner_text()
    phone.close()
    return code


def _moderate_with_a_box(browser, live_server: str, officer, code: str) -> None:
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    office = desk.new_page()
    office.set_default_timeout(15_000)
    sign_in(office, live_server, officer)
    office.goto(live_server + "/staff/cases")
    office.get_by_role("link", name=code).click()
    office.get_by_label("หัวข้อที่เผยแพร่").fill(PUBLIC_TITLE)
    office.get_by_label("สถานที่ที่เผยแพร่").fill("หน้าโรงเรียนบ้านจอหอ")
    layer = office.locator(".redact-layer").first
    expect(layer).to_be_visible()
    layer.scroll_into_view_if_needed()
    box = layer.bounding_box()
    assert box is not None and box["width"] > 100
    # Drag over the left half of the photo: the box the server blacks out.
    office.mouse.move(box["x"] + 2, box["y"] + 2)
    office.mouse.down()
    office.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
    office.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 2, steps=5)
    office.mouse.up()
    expect(office.get_by_label("เผยแพร่ภาพที่ 1")).to_be_checked()  # drawing ticks the photo
    office.get_by_role("button", name="เผยแพร่", exact=True).click()
    expect(office.get_by_text("เผยแพร่เรื่องบนหน้าสาธารณะแล้ว")).to_be_visible()
    expect(office.locator("#publication-state")).to_contain_text("เผยแพร่อยู่ตั้งแต่")
    desk.close()


def test_a_published_case_with_a_redaction_on_the_public_list_and_map(
    live_server, page, browser, app, tile_stub, tmp_path
):
    tile_url, tiles_asked = tile_stub
    app.config["MAP_TILE_URL"] = tile_url
    officer = make_user(roles=("officer",), display_name="สมชาย ใจดี")

    code = _file_with_publication_allowed(browser, live_server, _photo(tmp_path))
    # Nothing is public before an officer approves it.
    page.goto(live_server + "/public/cases")
    expect(page.locator("#public-empty")).to_be_visible()

    _moderate_with_a_box(browser, live_server, officer, code)

    page.goto(live_server + "/public/cases")
    item = page.locator(f"#public-{code}")
    expect(item).to_contain_text(PUBLIC_TITLE)
    expect(item).to_contain_text("หน้าโรงเรียนบ้านจอหอ")
    html = page.content()
    for private in (RESIDENT_NAME, RESIDENT_PHONE, "นายมานี", "บ้านเลขที่ 7"):
        assert private not in html

    item.get_by_role("link", name=PUBLIC_TITLE).click()
    photo = page.locator("#public-photos img").first
    expect(photo).to_be_visible()
    public = Image.open(
        io.BytesIO(page.request.get(live_server + (photo.get_attribute("src") or "")).body())
    )
    width, height = public.size
    assert max(public.convert("RGB").getpixel((width // 4, height // 2))) < 24  # blacked out
    assert public.convert("RGB").getpixel((3 * width // 4, height // 2))[0] > 150  # untouched
    assert not public.getexif()

    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server + "/public/map")
    expect(page.locator("#public-map .leaflet-tile-loaded").first).to_be_visible()
    expect(page.locator("#public-map path.leaflet-interactive")).to_have_count(1)  # the pin
    expect(page.locator(f"#public-{code}")).to_contain_text(PUBLIC_TITLE)  # and the list
    assert tiles_asked and all(path.endswith(".png") for path in tiles_asked)
    stub_base = tile_url.split("/{z}")[0]
    assert all(url.startswith((live_server, stub_base)) for url in requested), requested
    assert RESIDENT_NAME not in page.content()
