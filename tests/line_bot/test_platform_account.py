"""The platform-wide LINE account: the resident names their ตำบล, the body serving it files the
case; "my cases" spans every body; pushes go out with the platform's token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import platform_scope
from app.organizations.services import create_organization, resolve_area
from app.outbox import Notification
from cases.models import Case
from line_bot.models import LineWebhookEvent
from notifications.worker import worker_for
from tests.fakes.line_api import FakeLineApi
from tests.line_bot.conftest import Resident, file_case
from tests.row_security import become_app_role

PLATFORM_SECRET = "p1a7f0rm" * 4
PLATFORM_TOKEN = "platform-access-token"
# slug -> (Thai name, the ตำบล it serves)
BODIES = {
    "jorhor": ("อบต.จอหอ", "300116"),
    "korat-city": ("เทศบาลนครนครราชสีมา", "300101"),  # ในเมือง, อ.เมืองนครราชสีมา
    "phimai": ("เทศบาลตำบลพิมาย", "301501"),  # ในเมือง, อ.พิมาย
    "khonkaen": ("เทศบาลนครขอนแก่น", "400101"),  # ในเมือง, จ.ขอนแก่น
}


@pytest.fixture
def platform_app(
    app_factory: Callable[..., Flask], line_settings: dict[str, Any]
) -> Iterator[Flask]:
    """A platform of four bodies with a platform-wide LINE account."""
    app = app_factory(
        **line_settings,
        LINE_PLATFORM_CHANNEL_SECRET=PLATFORM_SECRET,
        LINE_PLATFORM_CHANNEL_ACCESS_TOKEN=PLATFORM_TOKEN,
    )
    with app.app_context():
        for slug, (name, subdistrict) in BODIES.items():
            area = resolve_area(None, None, (subdistrict,))
            create_organization(db.session, slug, name_th=name, area=area)
        yield app


@pytest.fixture
def villager(platform_app: Flask, line_api: FakeLineApi) -> Resident:
    """A resident writing to the platform's account."""
    return Resident(
        platform_app, line_api, webhook="/line/platform/webhook", secret=PLATFORM_SECRET
    )


def body(slug: str) -> Organization:
    found = db.session.scalar(select(Organization).where(Organization.slug == slug))
    assert found is not None
    return found


def platform_cases() -> list[Case]:
    with platform_scope():
        return list(db.session.scalars(select(Case).order_by(Case.id)))


def test_a_typed_subdistrict_files_the_case_with_the_body_serving_it(villager, line_api):
    assert "ตำบลใด" in villager.say("แจ้งเรื่อง")[0]
    answer = villager.say("จอหอ")
    assert "ต.จอหอ อ.เมืองนครราชสีมา จ.นครราชสีมา" in answer[0]
    assert "อบต.จอหอ" in answer[0]
    assert "อบต.จอหอ" in answer[1]  # the chosen body's privacy notice
    receipt = file_case(villager)
    assert "รับเรื่องแล้ว" in receipt[0]
    (case,) = platform_cases()
    assert (case.organization_id, case.line_account) == (body("jorhor").id, "platform")
    assert case.line_user_id == villager.user_id
    assert "/o/jorhor/" in receipt[0]  # the status link opens in the body's pages
    bearers = {r.headers["authorization"] for r in line_api.requests}
    assert bearers == {f"Bearer {PLATFORM_TOKEN}"}  # never the installation's account
    with platform_scope():
        events = db.session.scalars(select(LineWebhookEvent)).all()
    assert {e.line_account for e in events} == {"platform"}


@pytest.mark.postgres_only
def test_the_platform_flow_holds_behind_row_level_security(villager):
    become_app_role(db.session.connection())
    villager.say("แจ้งเรื่อง")
    assert "อบต.จอหอ" in villager.say("จอหอ")[0]
    assert "รับเรื่องแล้ว" in file_case(villager)[0]
    (case,) = platform_cases()
    assert case.organization_id == body("jorhor").id
    assert "อบต.จอหอ" in villager.say("เรื่องของฉัน")[0]
    with platform_scope():
        events = db.session.scalars(select(LineWebhookEvent)).all()
    assert {e.status for e in events} == {"done"}


def test_an_ambiguous_subdistrict_is_narrowed_by_province_then_district(villager):
    villager.say("แจ้งเรื่อง")
    assert "จังหวัดใด" in villager.say("ในเมือง")[0]
    labels = [a["label"] for a in villager.quick_replies()]
    assert labels == ["จ.นครราชสีมา", "จ.ขอนแก่น", "ยกเลิก"]
    assert "อำเภอใด" in villager.tap("จ.นครราชสีมา")[0]
    labels = [a["label"] for a in villager.quick_replies()]
    assert labels == ["อ.เมืองนครราชสีมา", "อ.พิมาย", "ยกเลิก"]
    assert "เทศบาลตำบลพิมาย" in villager.tap("อ.พิมาย")[0]
    file_case(villager)
    (case,) = platform_cases()
    assert case.organization_id == body("phimai").id


def test_a_province_may_be_typed_instead_of_tapped(villager):
    villager.say("แจ้งเรื่อง")
    villager.say("ในเมือง")
    assert "เทศบาลนครขอนแก่น" in villager.say("จังหวัดขอนแก่น")[0]


def test_an_unknown_or_unserved_subdistrict_gets_a_thai_message_and_no_body(villager):
    villager.say("แจ้งเรื่อง")
    assert "ไม่พบตำบลชื่อ “ฟฟฟฟฟ”" in villager.say("ฟฟฟฟฟ")[0]
    assert "ยังไม่มีหน่วยงานในระบบนี้ดูแล" in villager.say("บางรัก")[0]
    assert "ยกเลิกแล้ว" in villager.tap("ยกเลิก")[0]
    assert platform_cases() == []


def test_my_cases_lists_the_residents_cases_across_bodies(villager, line_api, platform_app):
    villager.say("แจ้งเรื่อง")
    villager.say("จอหอ")
    file_case(villager)
    villager.say("แจ้งเรื่อง")
    villager.say("ในเมือง")
    villager.say("ขอนแก่น")
    file_case(villager)
    listing = villager.say("เรื่องของฉัน")[0]
    assert "อบต.จอหอ" in listing and "เทศบาลนครขอนแก่น" in listing
    assert "/o/jorhor/" in listing and "/o/khonkaen/" in listing
    # The same LINE user on the installation's own account has filed nothing there.
    own = Resident(platform_app, line_api, user_id=villager.user_id, webhook="/line/jorhor/webhook")
    assert "ยังไม่มีเรื่อง" in own.say("เรื่องของฉัน")[0]


def test_a_later_push_goes_out_with_the_platform_token(villager, line_api, platform_app):
    villager.say("แจ้งเรื่อง")
    villager.say("จอหอ")
    file_case(villager)
    with platform_scope():
        rows = db.session.scalars(select(Notification).where(Notification.channel == "line"))
        assert {row.line_account for row in rows} == {"platform"}
        (case,) = platform_cases()
        for row in db.session.scalars(select(Notification)):
            row.status = "pending"  # pretend the bot could not answer: the worker pushes
            row.next_attempt_at = case.received_at
        db.session.commit()
    worker = worker_for(platform_app.config, db.new_session)
    try:
        worker.drain()
    finally:
        worker.close()
    pushes = line_api.requests_to("/v2/bot/message/push")
    assert pushes and {r.headers["authorization"] for r in pushes} == {f"Bearer {PLATFORM_TOKEN}"}
