"""A body's LINE webhook (``/o/<slug>/line/webhook``) files events and answers in that body."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.organizations.scope import platform_scope
from app.organizations.services import create_organization, resolve_area
from line_bot.models import LineWebhookEvent
from line_bot.services import process_ready
from tests.fakes.line_webhook import line_event, signed_post, webhook_body
from tests.line_bot.conftest import SECRET


def test_a_bodys_webhook_stores_the_event_in_that_body_and_answers_with_its_name(
    line_app, line_api
):
    b = create_organization(
        db.session, "line-b", name_th="อบต.ทดสอบไลน์", area=resolve_area(None, None, ("300116",))
    )
    client = line_app.test_client()
    body = webhook_body(line_event("follow"))
    response = signed_post(client, body, SECRET, path="/o/line-b/line/webhook")
    assert response.status_code == 200
    with platform_scope():
        (event,) = db.session.scalars(select(LineWebhookEvent)).all()
    assert event.organization_id == b.id
    assert db.session.scalars(select(LineWebhookEvent)).all() == []  # not the first body's
    process_ready()
    texts = [t for r in line_api.requests if r.path == "/v2/bot/message/reply" for t in r.texts]
    assert any("อบต.ทดสอบไลน์" in text for text in texts)


def test_every_event_of_one_webhook_body_is_stamped_with_that_body(line_app):
    b = create_organization(
        db.session, "line-b", name_th="อบต.ทดสอบไลน์", area=resolve_area(None, None, ("300116",))
    )
    body = webhook_body(line_event("follow"), line_event("text", text="สวัสดี"))
    response = signed_post(line_app.test_client(), body, SECRET, path="/o/line-b/line/webhook")
    assert response.status_code == 200
    with platform_scope():
        events = db.session.scalars(select(LineWebhookEvent)).all()
    assert [event.organization_id for event in events] == [b.id, b.id]


def test_an_unknown_bodys_webhook_is_not_found(line_app):
    body = webhook_body(line_event("follow"))
    response = signed_post(line_app.test_client(), body, SECRET, path="/o/nobody/line/webhook")
    assert response.status_code == 404
