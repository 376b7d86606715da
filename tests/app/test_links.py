"""Links shown or sent to residents are on PUBLIC_BASE_URL, whatever Host the request named."""

from __future__ import annotations

import pytest

from app.links import public_url
from tests.complaints.test_web_forms import form_data

PUBLIC = "https://rongrian.example.go.th"
EVIL = {"Host": "evil.example"}


def test_receipt_page_link_uses_public_base_url_not_the_host_header(app_factory):
    app = app_factory(PUBLIC_BASE_URL=PUBLIC)
    with app.app_context():
        client = app.test_client()
        sent = client.post("/complaints/new", data=form_data(), headers=EVIL)
        receipt = client.get(sent.headers["Location"], headers=EVIL).get_data(as_text=True)
        assert f'href="{PUBLIC}/track/' in receipt
        assert "evil.example" not in receipt
        assert "evil.example" not in sent.headers["Location"]


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://rongrian.example.go.th", "https://rongrian.example.go.th/track/R70-000001/t"),
        ("https://rongrian.example.go.th/", "https://rongrian.example.go.th/track/R70-000001/t"),
        (
            "https://www.example.go.th/rongrian/",
            "https://www.example.go.th/rongrian/track/R70-000001/t",
        ),
    ],
)
def test_public_url_joins_public_base_url_and_the_path(app_factory, base, expected):
    app = app_factory(PUBLIC_BASE_URL=base)
    with app.test_request_context("/", headers=EVIL):
        assert public_url("cases.status", code="R70-000001", token="t") == expected
