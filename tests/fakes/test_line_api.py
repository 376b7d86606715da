"""The fake LINE API behaves like LINE where our code depends on it (driven by the real SDK)."""

from __future__ import annotations

import pytest
import urllib3
from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    PushMessageRequest,
    ReplyMessageRequest,
    ShowLoadingAnimationRequest,
    TextMessage,
)

from tests.fakes.line_api import FakeLineApi
from tests.fakes.line_webhook import fixture_bytes, line_event, sign, webhook_body

USER = "U206d25c2ea6bd87c17655609a1c37cb8"


def _api(fake: FakeLineApi, token: str = "test-token") -> ApiClient:  # noqa: S107
    return ApiClient(Configuration(host=fake.base_url, access_token=token))


def test_push_with_a_repeated_retry_key_answers_409_and_is_delivered_once(line_api):
    with _api(line_api) as client:
        api = MessagingApi(client)
        request = PushMessageRequest(to=USER, messages=[TextMessage(text="สวัสดี")])
        api.push_message(request, x_line_retry_key="123e4567-e89b-12d3-a456-426614174000")
        with pytest.raises(ApiException) as refused:
            api.push_message(request, x_line_retry_key="123e4567-e89b-12d3-a456-426614174000")
    assert refused.value.status == 409
    assert refused.value.headers["x-line-accepted-request-id"]
    pushes = line_api.requests_to("/v2/bot/message/push")
    assert [p.headers["x-line-retry-key"] for p in pushes] == [
        "123e4567-e89b-12d3-a456-426614174000"
    ] * 2
    assert pushes[0].json["to"] == USER
    assert pushes[0].json["messages"] == [{"type": "text", "text": "สวัสดี"}]
    assert line_api.delivered_texts() == ["สวัสดี"]


def test_a_reply_token_works_once(line_api):
    with _api(line_api) as client:
        api = MessagingApi(client)
        request = ReplyMessageRequest(reply_token="tok", messages=[TextMessage(text="ครับ")])
        api.reply_message(request)
        with pytest.raises(ApiException) as refused:
            api.reply_message(request)
    assert refused.value.status == 400
    assert "Invalid reply token" in refused.value.body


def test_message_content_is_served_from_the_data_api_paths(line_api):
    line_api.add_content("533002", b"\xff\xd8photo", "image/jpeg")
    with _api(line_api) as client:
        blob = MessagingApiBlob(client)
        assert bytes(blob.get_message_content("533002")) == b"\xff\xd8photo"
        with pytest.raises(ApiException) as missing:
            blob.get_message_content("999")
    assert missing.value.status == 404


def test_fail_next_answers_errors_then_recovers(line_api):
    line_api.fail_next(500, times=2)
    with _api(line_api) as client:
        api = MessagingApi(client)
        request = ShowLoadingAnimationRequest(chat_id=USER)
        for _ in range(2):
            with pytest.raises(ApiException) as failed:
                api.show_loading_animation(request)
            assert failed.value.status == 500
        api.show_loading_animation(request)
    assert [r.status for r in line_api.requests] == [500, 500, 202]


def test_delay_next_makes_the_sdk_time_out(line_api):
    line_api.delay_next(0.5)
    with _api(line_api) as client, pytest.raises(urllib3.exceptions.ReadTimeoutError):
        MessagingApi(client).push_message(
            PushMessageRequest(to=USER, messages=[TextMessage(text="ช้า")]), _request_timeout=0.1
        )


def test_requests_without_a_bearer_token_and_over_limits_are_refused(line_api):
    with _api(line_api, token="") as client:
        api = MessagingApi(client)
        with pytest.raises(ApiException) as unauthorised:
            api.push_message(PushMessageRequest(to=USER, messages=[TextMessage(text="x")]))
    assert unauthorised.value.status == 401
    # The SDK refuses six messages itself; LINE (and the fake) refuse them too.
    too_many = {"to": USER, "messages": [{"type": "text", "text": str(n)} for n in range(6)]}
    answer = urllib3.request(
        "POST",
        f"{line_api.base_url}/v2/bot/message/push",
        json=too_many,
        headers={"Authorization": "Bearer test-token"},
    )
    assert answer.status == 400


def test_webhook_helpers_build_events_in_lines_format():
    event = line_event("text", text="สวัสดี")
    assert event["message"]["text"] == "สวัสดี"
    assert event["webhookEventId"] != line_event("text")["webhookEventId"]
    assert event["source"] == {"type": "user", "userId": USER}
    body = webhook_body(event)
    assert "สวัสดี".encode() in body
    # The documented example: the signature covers the exact bytes.
    assert sign(fixture_bytes("verify"), "secret") != sign(fixture_bytes("verify") + b" ", "secret")
