"""The webhook: LINE's signature, storing before processing, redelivery, LINE being down."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from app.extensions import db
from app.models import utcnow
from app.outbox import Notification
from cases.models import Case
from line_bot.models import LineWebhookEvent
from line_bot.services import process_event, process_pending, process_ready
from tests.fakes.line_webhook import (
    fixture_bytes,
    line_event,
    sign,
    signed_post,
    webhook_body,
)
from tests.line_bot.conftest import SECRET, Resident
from tests.line_bot.test_conversation import _file_until_photos


def _stored_events() -> int:
    return db.session.scalar(select(func.count()).select_from(LineWebhookEvent)) or 0


def test_the_consoles_verify_request_gets_200(resident, line_api):
    response = signed_post(resident.client, fixture_bytes("verify"), SECRET)
    assert response.status_code == 200
    assert _stored_events() == 0
    assert line_api.requests == []


def test_a_bad_or_missing_signature_gets_400_and_nothing_is_stored(resident, line_api):
    body = fixture_bytes("follow")
    assert signed_post(resident.client, body, "another-channels-secret").status_code == 400
    tampered = body.replace(b"follow", b"unfollow", 1)
    forged = resident.client.post(
        "/line/webhook", data=tampered, headers={"x-line-signature": sign(body, SECRET)}
    )
    assert forged.status_code == 400
    assert resident.client.post("/line/webhook", data=body).status_code == 400
    assert _stored_events() == 0
    assert line_api.requests == []


def test_an_oversized_body_is_refused_before_it_is_read(resident):
    body = webhook_body(line_event("text", text="ก" * 100_000))
    assert signed_post(resident.client, body, SECRET).status_code == 413
    assert _stored_events() == 0


def test_the_webhook_is_csrf_exempt_when_csrf_is_on(app_factory, line_settings, line_api):
    app = app_factory(WTF_CSRF_ENABLED=True, **line_settings)
    with app.app_context():
        assert Resident(app, line_api).send("follow")


def test_without_line_settings_the_channel_says_it_is_not_configured(client):
    response = signed_post(client, fixture_bytes("follow"), SECRET)
    assert response.status_code == 503
    assert response.json["message"] == "ช่องทาง LINE ยังไม่ได้ตั้งค่า"
    assert client.get("/").status_code == 200


def test_a_redelivered_event_is_processed_at_most_once(resident, line_api):
    _file_until_photos(resident)
    resident.say("ยกเลิก")
    resident.tap("แจ้งเรื่อง")
    resident.tap("ร้องเรียน")
    resident.tap("ถนน สะพาน ทางเท้า")
    # The reference bodies, byte for byte: text.json, then LINE redelivering the same event.
    first = resident.deliver(fixture_bytes("text"))
    assert "รูป" in first[0]
    assert resident.deliver(fixture_bytes("text-redelivered")) == []
    assert db.session.scalars(select(LineWebhookEvent.is_redelivery)).all()[-1] is False

    resident.tap("ถัดไป")
    resident.tap("ข้าม")
    resident.tap("ไม่เผยแพร่")
    confirm = line_event("postback", postback_data="action=confirm")
    assert resident.deliver(webhook_body(confirm))
    confirm["deliveryContext"]["isRedelivery"] = True
    assert resident.deliver(webhook_body(confirm)) == []
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1


def test_an_old_event_is_answered_by_push_with_a_retry_key(resident, line_api):
    # text.json's timestamp is long past: its reply token cannot be used any more.
    answer = resident.deliver(fixture_bytes("text"))
    assert answer and line_api.requests_to("/v2/bot/message/reply") == []
    push = line_api.requests_to("/v2/bot/message/push")[0]
    assert push.json["to"] == resident.user_id
    assert push.headers["x-line-retry-key"]


def test_a_used_reply_token_falls_back_to_push(resident, line_api):
    event = line_event("follow")
    line_api.expire_reply_token(event["replyToken"])
    assert "ยินดีต้อนรับ" in resident.deliver(webhook_body(event))[0]
    assert [r.status for r in line_api.requests_to("/v2/bot/message/reply")] == [400]
    assert len(line_api.requests_to("/v2/bot/message/push", status=200)) == 1


def _confirm_while_line_is_down(resident: Resident, line_api, fail) -> None:
    _file_until_photos(resident)
    resident.tap("ถัดไป")
    resident.tap("ข้าม")
    resident.tap("ไม่เผยแพร่")
    actions = {a["label"]: a["data"] for a in resident.quick_replies()}
    fail()
    resident.send("postback", postback_data=actions["ยืนยันส่ง"])


def _assert_case_kept_and_resident_told_later() -> None:
    case = db.session.scalars(select(Case)).one()
    receipt = db.session.scalars(
        select(Notification).where(Notification.case_id == case.id, Notification.channel == "line")
    ).one()
    # The outbox still holds the receipt: the notification worker pushes it once LINE is back.
    assert (receipt.status, receipt.template, receipt.recipient) == (
        "pending",
        "case_received",
        case.line_user_id,
    )
    assert db.session.scalars(select(LineWebhookEvent.status)).all()[-1] == "done"


def test_line_answering_500_keeps_the_case_and_queues_the_receipt(resident, line_api):
    _confirm_while_line_is_down(resident, line_api, lambda: line_api.fail_next(500, times=10))
    _assert_case_kept_and_resident_told_later()
    replies = line_api.requests_to("/v2/bot/message/reply")
    assert replies[-1].status == 500
    # No push after a 5xx reply: LINE may have shown it, and a push would show it twice.
    assert line_api.requests_to("/v2/bot/message/push") == []


def test_line_timing_out_keeps_the_case_and_queues_the_receipt(resident, line_api):
    _confirm_while_line_is_down(resident, line_api, lambda: line_api.delay_next(1.0, times=3))
    _assert_case_kept_and_resident_told_later()


def test_an_unknown_event_type_gets_a_kind_help_reply(resident, line_api):
    event = line_event("text")
    event["type"] = "hologramShared"
    answer = resident.deliver(webhook_body(event))
    assert "ยังไม่เข้าใจ" in answer[0]
    assert db.session.scalars(select(LineWebhookEvent.status)).one() == "done"


def test_processed_events_do_not_keep_what_the_resident_typed(resident):
    resident.say("บ้านเลขที่ 12 ถนนพัง")
    payload = db.session.scalars(select(LineWebhookEvent.payload)).one()
    assert payload == {"type": "message"}


def test_events_left_unprocessed_are_picked_up_later(resident, line_api):
    event = line_event("follow")
    body = webhook_body(event)
    # Stored but never processed, as if the worker stopped right after answering LINE.
    response = resident.client.post(
        "/line/webhook", data=body, headers={"x-line-signature": sign(body, SECRET)}
    )
    assert response.status_code == 200
    assert line_api.requests == []
    row = db.session.scalars(select(LineWebhookEvent)).one()
    assert row.status == "received"
    row.created_at = row.created_at.replace(year=2025)
    db.session.commit()

    assert process_pending() == 1
    assert "ยินดีต้อนรับ" in line_api.delivered_texts()[0]
    assert process_pending() == 0
    response.close()
    assert len(line_api.delivered_texts()) == 1


def _store_only(resident: Resident, event: dict) -> int:
    """Deliver ``event`` as LINE does; no processor has answered it yet."""
    body = webhook_body(event)
    response = resident.client.post(
        "/line/webhook", data=body, headers={"x-line-signature": sign(body, SECRET)}
    )
    assert response.status_code == 200
    return db.session.scalar(
        select(LineWebhookEvent.id).where(
            LineWebhookEvent.webhook_event_id == event["webhookEventId"]
        )
    )


def test_a_residents_events_are_answered_in_the_order_line_sent_them(resident, line_api):
    first = _store_only(resident, line_event("follow"))
    second = _store_only(resident, line_event("postback", postback_data="action=file"))

    process_event(second)  # its processor ran first: it must wait for the follow
    assert line_api.delivered_texts() == []
    process_event(first)  # finishing the follow goes on with the tap that waited
    texts = line_api.delivered_texts()
    assert "ยินดีต้อนรับ" in texts[0] and "PDPA" in texts[1]
    assert set(db.session.scalars(select(LineWebhookEvent.status))) == {"done"}


def test_an_event_abandoned_while_processing_does_not_hold_up_the_next(resident, line_api):
    stuck = _store_only(resident, line_event("follow"))
    waiting = _store_only(resident, line_event("postback", postback_data="action=help"))
    row = db.session.get(LineWebhookEvent, stuck)
    row.status, row.claimed_at = "processing", utcnow() - timedelta(hours=1)
    db.session.get(LineWebhookEvent, waiting).created_at = utcnow() - timedelta(minutes=5)
    db.session.commit()

    assert process_pending() == 1
    assert db.session.get(LineWebhookEvent, stuck).status == "failed"
    assert "แจ้งเรื่อง" in line_api.delivered_texts()[0]


def test_the_webhook_answers_without_waiting_for_line(resident, line_api):
    line_api.delay_next(3.0, times=5)  # LINE's API is very slow this morning
    event_row = _store_only(resident, line_event("follow"))
    # The 200 went out with no call to LINE at all: the event waits for a processor.
    assert line_api.requests == []
    assert db.session.get(LineWebhookEvent, event_row).status == "received"


def _odd(**changes: object) -> dict:
    event = line_event("follow")
    event.update(changes)
    return event


ODD_EVENTS = {
    "source is a string": _odd(source="x"),
    "userId of 200 characters": _odd(source={"type": "user", "userId": "U" + "f" * 199}),
    "userId is a number": _odd(source={"type": "user", "userId": 12345}),
    "type is a list": _odd(type=["follow"]),
    "webhookEventId is a number": _odd(webhookEventId=12345),
    "webhookEventId of 100 characters": _odd(webhookEventId="0" * 100),
    "deliveryContext is a string": _odd(deliveryContext="yes"),
    "timestamp far beyond any calendar": _odd(timestamp=10**20),
    "replyToken is an object": _odd(replyToken={"token": "x"}),
    "message is a string": _odd(type="message", message="hello"),
    "event is a string": "follow",
}


@pytest.mark.parametrize("event", list(ODD_EVENTS.values()), ids=list(ODD_EVENTS))
def test_validly_signed_events_with_odd_field_types_never_give_500(resident, line_api, event):
    response = signed_post(resident.client, webhook_body(event), SECRET)
    assert response.status_code == 200
    process_ready()
    statuses = set(db.session.scalars(select(LineWebhookEvent.status)))
    assert statuses <= {"done"}  # stored and answered (or ignored), never failed


def test_an_odd_event_beside_a_good_one_does_not_hold_the_good_one_back(resident, line_api):
    body = webhook_body(_odd(source="x"), line_event("follow"))
    assert signed_post(resident.client, body, SECRET).status_code == 200
    process_ready()
    assert "ยินดีต้อนรับ" in line_api.delivered_texts()[0]


def _post_without_length(app, body: bytes) -> str:
    """POST ``body`` as a chunked upload would come: no ``Content-Length``."""
    environ = EnvironBuilder(
        path="/line/webhook",
        method="POST",
        data=body,
        headers={"Content-Type": "application/json", "x-line-signature": sign(body, SECRET)},
    ).get_environ()
    del environ["CONTENT_LENGTH"]
    environ["wsgi.input_terminated"] = True  # the server has the whole body: read to the end
    statuses: list[str] = []
    for _chunk in app(environ, lambda status, _headers, _exc=None: statuses.append(status)):
        pass
    return statuses[0]


def test_a_webhook_call_without_a_length_is_stored_the_same_way(line_app, resident, line_api):
    # LINE's calls carry a length and are answered before Flask (``WebhookFastPath``); one
    # without goes on to the Flask view, which stores it and refuses a bad one the same way.
    event = line_event("follow")
    assert _post_without_length(line_app, webhook_body(event)).startswith("200")
    assert _post_without_length(line_app, b'{"events": []') == "400 BAD REQUEST"
    assert _stored_events() == 1
    process_ready()
    assert "ยินดีต้อนรับ" in line_api.delivered_texts()[0]
