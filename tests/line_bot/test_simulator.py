"""The development simulator: signed events to the real webhook, the bot's answers captured."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from app.config import Config, ConfigError
from app.extensions import db
from app.organizations.scope import platform_scope
from app.organizations.services import create_organization, resolve_area
from cases.models import Attachment
from line_bot.models import LineWebhookEvent
from tests.factories import png_bytes


@pytest.fixture
def sim(app_factory):
    app = app_factory(LINE_SIMULATOR_ENABLED=True)
    with app.app_context():
        yield app.test_client()


def _send(sim, **form):
    signed = sim.post("/line/simulator/events", data=form).json
    response = sim.post(
        "/line/webhook",
        data=signed["body"].encode(),
        headers={"x-line-signature": signed["signature"], "Content-Type": "application/json"},
        buffered=True,
    )
    assert response.status_code == 200
    return [m["message"] for m in sim.get("/line/simulator/messages?after=0").json["messages"]]


def test_simulated_events_reach_the_webhook_and_the_bots_answers_are_shown(sim):
    assert "ทดลองแชต LINE" in sim.get("/line/simulator").text
    messages = _send(sim, kind="follow")
    assert "ยินดีต้อนรับ" in messages[0]["text"]
    assert messages[0]["quickReply"]["items"][0]["action"]["label"] == "แจ้งเรื่อง"
    assert db.session.scalars(select(LineWebhookEvent.event_type)).all() == ["follow"]


def test_a_photo_from_the_simulator_goes_through_the_blob_api_and_upload_checks(sim):
    _send(sim, kind="postback", data="action=file")
    _send(sim, kind="postback", data="action=privacy_ok")
    _send(sim, kind="postback", data="action=kind&value=complaint")
    _send(sim, kind="text", text="ถนน สะพาน ทางเท้า")
    _send(sim, kind="text", text="ไฟถนนหน้าโรงเรียนดับมาสามวันแล้ว")
    signed = sim.post(
        "/line/simulator/events",
        data={"kind": "image", "photo": (io.BytesIO(png_bytes()), "p.png")},
    ).json
    sim.post(
        "/line/webhook",
        data=signed["body"].encode(),
        headers={"x-line-signature": signed["signature"]},
        buffered=True,
    )
    assert "รูปที่ 1" in sim.get("/line/simulator/messages").json["messages"][-1]["message"]["text"]
    assert len(db.session.scalars(select(Attachment)).all()) == 1


def test_the_simulator_is_off_unless_enabled_and_refused_in_production(client):
    assert client.get("/line/simulator").status_code == 404
    assert client.post("/line/simulator/events", data={"kind": "follow"}).status_code == 404
    with pytest.raises(ConfigError):
        Config(ENV="production", SECRET_KEY="k" * 40, LINE_SIMULATOR_ENABLED=True).finalise()


def test_the_simulator_needs_a_csrf_token(app_factory):
    app = app_factory(LINE_SIMULATOR_ENABLED=True, WTF_CSRF_ENABLED=True)
    with app.app_context():
        assert (
            app.test_client().post("/line/simulator/events", data={"kind": "follow"}).status_code
            == 400
        )


def test_each_body_has_its_own_simulator_page(sim):
    body = create_organization(
        db.session, "sim-b", name_th="อบต.จำลอง", area=resolve_area(None, None, ("300116",))
    )
    assert "ทดลองแชต LINE" in sim.get("/o/sim-b/line/simulator").text
    signed = sim.post("/o/sim-b/line/simulator/events", data={"kind": "follow"}).json
    response = sim.post(
        "/o/sim-b/line/webhook",
        data=signed["body"].encode(),
        headers={"x-line-signature": signed["signature"], "Content-Type": "application/json"},
        buffered=True,
    )
    assert response.status_code == 200
    with platform_scope():
        (event,) = db.session.scalars(select(LineWebhookEvent)).all()
    assert event.organization_id == body.id
    messages = sim.get("/o/sim-b/line/simulator/messages?after=0").json["messages"]
    assert "อบต.จำลอง" in messages[0]["message"]["text"]  # answered in that body
