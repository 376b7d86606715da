"""The อบต. tries the LINE bot in the browser before it has a LINE channel."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from cases.models import Case
from tests.factories import THAI_DETAILS, png_bytes

TRANSCRIPT: list[str] = []


@pytest.fixture
def app(app_factory) -> Iterator[Flask]:
    """The app with the development simulator on (no LINE channel configured)."""
    application = app_factory(
        LINE_SIMULATOR_ENABLED=True,
        WTF_CSRF_ENABLED=True,  # as in development: the page sends its token
        PUBLIC_BASE_URL="http://127.0.0.1:5000",
    )
    with application.app_context():
        yield application


def _bot_says(page, text: str) -> None:
    page.locator("#sim-log li.bot", has_text=text).last.wait_for()


def _tap(page, label: str) -> None:
    page.locator("#sim-quick button", has_text=label).first.click()


def test_a_full_conversation_in_the_simulator_files_a_case(live_server, page, tmp_path):
    photo = tmp_path / "หลุม.png"
    photo.write_bytes(png_bytes((40, 30)))
    page.goto(live_server + "/line/simulator")
    page.wait_for_selector("#line-sim[data-ready='1']")

    page.get_by_role("button", name="เพิ่มเพื่อน").click()
    _bot_says(page, "ยินดีต้อนรับ")
    _tap(page, "แจ้งเรื่อง")
    _bot_says(page, "PDPA")
    _tap(page, "ยอมรับ")
    _bot_says(page, "ประเภทใด")
    _tap(page, "ร้องเรียน")
    _bot_says(page, "ด้านใด")
    _tap(page, "ถนน สะพาน ทางเท้า")
    _bot_says(page, "รายละเอียด")
    page.get_by_placeholder("พิมพ์ข้อความ").fill(THAI_DETAILS)
    page.get_by_role("button", name="ส่ง", exact=True).click()
    _bot_says(page, "รูปประกอบ")
    page.locator("#sim-photo").set_input_files(str(photo))
    _bot_says(page, "รูปที่ 1")
    _tap(page, "ถัดไป")
    _bot_says(page, "เกิดขึ้นที่ไหน")
    _tap(page, "ส่งตำแหน่ง")
    _bot_says(page, "หน้าสาธารณะ")
    _tap(page, "ไม่เผยแพร่")
    _bot_says(page, "ตรวจสอบเรื่อง")
    _tap(page, "ยืนยันส่ง")
    _bot_says(page, "รับเรื่องแล้ว")

    receipt = page.locator("#sim-log li.bot").last.inner_text()
    code = re.search(r"R\d{2}-\d{6}", receipt).group(0)  # type: ignore[union-attr]
    # The test shares the live server's database connection: only once no page is loading.
    page.wait_for_load_state("networkidle")
    case = db.session.scalars(select(Case).where(Case.code == code)).one()
    assert case.channel == "line" and len(case.attachments) == 1 and case.latitude == 15.0417
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for bubble in page.locator("#sim-log li").all():
        who = "ผู้ใช้" if "me" in (bubble.get_attribute("class") or "") else "บอต"
        TRANSCRIPT.append(f"{who}: {bubble.inner_text()}")
    print("\n".join(TRANSCRIPT))
