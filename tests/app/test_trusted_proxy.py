"""TRUSTED_PROXY_COUNT: behind nginx, the client's address and scheme come from its headers."""

from __future__ import annotations

import pytest
from flask import Blueprint, current_app, request
from sqlalchemy import select

from app.audit import AuditEntry
from app.config import Config, ConfigError
from app.extensions import db
from tests.factories import USER_PASSWORD, make_user

THROTTLED = "ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไป"
NGINX = "10.0.0.2"  # the peer every request comes from behind the proxy
CLIENT = "203.0.113.7"


def _failed_sign_in(client, forwarded_for: str, email: str = "nobody@example.com"):
    return client.post(
        "/staff/login",
        data={"email": email, "password": "wrong password!"},
        headers={"X-Forwarded-For": forwarded_for},
        environ_base={"REMOTE_ADDR": NGINX},
    )


def _audited_ips() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEntry.ip)
            .where(AuditEntry.action == "sign_in_failed")
            .order_by(AuditEntry.id)
        )
    )


def test_without_a_trusted_proxy_a_forwarded_for_header_is_ignored(app):
    _failed_sign_in(app.test_client(), CLIENT)

    assert _audited_ips() == [NGINX]


def test_behind_one_proxy_the_address_it_forwards_is_audited(app_factory):
    application = app_factory(TRUSTED_PROXY_COUNT=1)
    with application.app_context():
        client = application.test_client()
        _failed_sign_in(client, CLIENT)
        # A client's own X-Forwarded-For comes first; nginx appends the address it saw.
        _failed_sign_in(client, f"198.51.100.66, {CLIENT}")

        assert _audited_ips() == [CLIENT, CLIENT]


def test_behind_one_proxy_sign_in_is_throttled_per_client_not_for_everyone(app_factory):
    application = app_factory(TRUSTED_PROXY_COUNT=1)
    with application.app_context():
        client = application.test_client()
        user = make_user()
        for n in range(current_app.config["SIGNIN_FAILURES_PER_IP"]):
            _failed_sign_in(client, CLIENT, email=f"guess{n}@example.com")

        def sign_in_from(address: str):
            return client.post(
                "/staff/login",
                data={"email": user.email, "password": USER_PASSWORD},
                headers={"X-Forwarded-For": address},
                environ_base={"REMOTE_ADDR": NGINX},
            )

        assert THROTTLED in sign_in_from(CLIENT).get_data(as_text=True)
        assert sign_in_from("203.0.113.8").status_code == 302  # another resident of nginx


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "http://localhost/"), (1, "https://rongrian.example/")]
)
def test_scheme_and_host_come_from_the_proxy_only_when_it_is_trusted(app_factory, count, expected):
    application = app_factory(TRUSTED_PROXY_COUNT=count)
    bp = Blueprint("url_root", __name__)
    bp.get("/url-root")(lambda: request.url_root)
    application.register_blueprint(bp)

    response = application.test_client().get(
        "/url-root",
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "rongrian.example"},
    )

    assert response.get_data(as_text=True) == expected


def test_trusted_proxy_count_is_read_from_the_environment_and_checked(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("TRUSTED_PROXY_COUNT", raising=False)
    assert Config.from_env().TRUSTED_PROXY_COUNT == 0
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "1")
    assert Config.from_env().TRUSTED_PROXY_COUNT == 1
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", "-1")
    with pytest.raises(ConfigError, match="TRUSTED_PROXY_COUNT must be 0"):
        Config.from_env()
