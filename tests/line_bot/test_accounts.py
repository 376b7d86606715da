"""Each body's own LINE Official Account: sealed credentials, its webhook, its token."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from app.credentials import unseal
from app.extensions import db
from app.models import utcnow
from app.organizations.line_accounts import set_line_credentials
from app.organizations.models import Organization, OrganizationHost
from app.organizations.scope import organization_scope, platform_scope
from app.organizations.services import create_organization, resolve_area
from app.outbox import DeliveryChannel, Notification, Recipient, enqueue
from cases.models import Case
from line_bot.models import LineWebhookEvent
from line_bot.services import process_ready
from notifications.worker import worker_for
from tests.fakes.line_api import FakeLineApi
from tests.fakes.line_webhook import line_event, sign, signed_post, webhook_body
from tests.line_bot.conftest import SECRET, Resident, file_case
from tests.row_security import become_app_role

B_SECRET = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
B_TOKEN = "token-of-body-b"


def body_with_account(slug: str = "line-b", secret: str = B_SECRET, token: str = B_TOKEN):
    """A second body with its own LINE account."""
    body = create_organization(
        db.session, slug, name_th=f"อบต.{slug}", area=resolve_area(None, None, ("300116",))
    )
    set_line_credentials(db.session, body, secret, token)
    return body


def stored_events() -> list[LineWebhookEvent]:
    with platform_scope():
        return list(db.session.scalars(select(LineWebhookEvent).order_by(LineWebhookEvent.id)))


def bearers(fake: FakeLineApi, path: str) -> list[str]:
    return [r.headers.get("authorization", "") for r in fake.requests if r.path == path]


def test_credentials_are_sealed_in_the_database(line_app):
    body = body_with_account()
    raw = db.session.execute(
        text("SELECT line_secret_sealed, line_token_sealed FROM organizations WHERE id = :id"),
        {"id": body.id},
    ).one()
    assert B_SECRET not in raw[0] and B_TOKEN not in raw[1]
    assert (unseal(raw[0]), unseal(raw[1])) == (B_SECRET, B_TOKEN)


def test_the_cli_stores_a_bodys_account_without_echoing_it(line_app):
    create_organization(
        db.session, "line-c", name_th="อบต.ซี", area=resolve_area(None, None, ("300116",))
    )
    result = line_app.test_cli_runner().invoke(
        args=["line", "set-account", "--org", "line-c"], input=f"{B_SECRET}\n{B_TOKEN}\n"
    )
    assert result.exit_code == 0, result.output
    assert B_SECRET not in result.output and B_TOKEN not in result.output
    assert "/line/line-c/webhook" in result.output
    body = db.session.scalar(select(Organization).where(Organization.slug == "line-c"))
    assert body is not None and unseal(body.line_token_sealed or "") == B_TOKEN
    half = line_app.test_cli_runner().invoke(
        args=["line", "set-account", "--org", "line-c"], input=f"{B_SECRET}\n \n"
    )
    assert half.exit_code != 0  # a secret without a token is refused


@pytest.mark.parametrize("path", ["/line/line-b/webhook", "/o/line-b/line/webhook"])
def test_a_body_webhook_takes_only_its_own_secret(line_app, line_api, path):
    body = body_with_account()
    client = line_app.test_client()
    wrong = signed_post(client, webhook_body(line_event("follow")), SECRET, path=path)
    assert wrong.status_code == 400
    assert stored_events() == []
    right = signed_post(client, webhook_body(line_event("follow")), B_SECRET, path=path)
    assert right.status_code == 200
    (event,) = stored_events()
    assert (event.organization_id, event.line_account) == (body.id, "")
    process_ready()
    assert bearers(line_api, "/v2/bot/message/reply") == [f"Bearer {B_TOKEN}"]


def test_the_installation_account_keeps_serving_bodies_without_their_own(line_app, line_api):
    body_with_account()
    first = db.session.scalars(select(Organization).order_by(Organization.id)).first()
    assert first is not None
    path = f"/line/{first.slug}/webhook"
    body_bytes = webhook_body(line_event("follow"))
    response = signed_post(line_app.test_client(), body_bytes, SECRET, path=path)
    assert response.status_code == 200
    (event,) = stored_events()
    assert event.organization_id == first.id
    process_ready()
    assert bearers(line_api, "/v2/bot/message/reply") == ["Bearer test-access-token"]


def test_an_unknown_or_suspended_bodys_webhook_is_not_found(line_app):
    body = body_with_account()
    body.active = False
    db.session.commit()
    client = line_app.test_client()
    for slug, secret in (("nobody", SECRET), ("line-b", B_SECRET)):
        body_bytes = webhook_body(line_event("follow"))
        response = signed_post(client, body_bytes, secret, path=f"/line/{slug}/webhook")
        assert response.status_code == 404
    assert stored_events() == []


def test_a_push_to_a_resident_goes_out_with_their_bodys_token(
    line_app: Flask, line_api: FakeLineApi
):
    body = body_with_account()
    with organization_scope(body.id):
        enqueue(
            db.session,
            "case_received",
            [Recipient(DeliveryChannel.LINE, "U" + "b" * 32)],
            {"code": "C69-000001", "status_url": "https://x/s", "due": "-"},
        )
        db.session.commit()
    worker = worker_for(line_app.config, db.new_session)
    try:
        worker.drain()
    finally:
        worker.close()
    assert bearers(line_api, "/v2/bot/message/push") == [f"Bearer {B_TOKEN}"]
    with platform_scope():
        (row,) = db.session.scalars(select(Notification)).all()
    assert row.sent_at is not None and row.sent_at <= utcnow()


def test_each_body_gets_its_rich_menu_on_its_own_account(line_app, line_api):
    body_with_account()
    result = line_app.test_cli_runner().invoke(args=["line", "setup-richmenu", "--org", "line-b"])
    assert result.exit_code == 0, result.output
    assert bearers(line_api, "/v2/bot/richmenu") == [f"Bearer {B_TOKEN}"]


@pytest.mark.postgres_only
def test_events_land_in_their_body_behind_row_level_security(line_app, line_api):
    body = body_with_account()
    become_app_role(db.session.connection())
    response = signed_post(
        line_app.test_client(),
        webhook_body(line_event("follow")),
        B_SECRET,
        path="/line/line-b/webhook",
    )
    assert response.status_code == 200
    with organization_scope(body.id):
        assert len(db.session.scalars(select(LineWebhookEvent)).all()) == 1
    assert db.session.scalars(select(LineWebhookEvent)).all() == []  # the first body sees none
    assert process_ready() == 1
    assert bearers(line_api, "/v2/bot/message/reply") == [f"Bearer {B_TOKEN}"]


def test_line_intake_is_limited_per_body_as_the_web_form(app_factory, line_settings, line_api):
    app = app_factory(**line_settings, RATELIMIT_ENABLED=True, INTAKE_RATE_LIMIT="1 per hour")
    with app.app_context():
        body_with_account()
        first = db.session.scalars(select(Organization).order_by(Organization.id)).first()
        assert first is not None
        at_first = Resident(app, line_api, webhook=f"/line/{first.slug}/webhook")
        at_b = Resident(app, line_api, webhook="/line/line-b/webhook", secret=B_SECRET)
        at_first.say("แจ้งเรื่อง")
        assert "รับเรื่องแล้ว" in file_case(at_first)[0]
        at_first.say("แจ้งเรื่อง")
        assert "ครบจำนวน" in file_case(at_first, first_time=False)[0]
        at_b.say("แจ้งเรื่อง")  # the same LINE user, another body: its own allowance
        assert "รับเรื่องแล้ว" in file_case(at_b)[0]
        with platform_scope():
            counts = db.session.execute(
                select(Case.organization_id, func.count()).group_by(Case.organization_id)
            ).all()
        assert sorted(n for _org, n in counts) == [1, 1]


def test_a_bodys_own_host_answers_at_line_webhook_with_its_account(line_app):
    body = body_with_account()
    body.hosts = [OrganizationHost(host="b.rongrian.example")]
    db.session.commit()
    client = line_app.test_client()
    payload = webhook_body(line_event("follow"))
    for secret, status in ((SECRET, 400), (B_SECRET, 200)):
        response = client.post(
            "/line/webhook",
            data=payload,
            base_url="https://b.rongrian.example",
            headers={"x-line-signature": sign(payload, secret)},
        )
        assert response.status_code == status
    (event,) = stored_events()
    assert event.organization_id == body.id
