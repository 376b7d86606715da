"""Builders of platform accounts and their signed-in clients (administrators, oversight)."""

from __future__ import annotations

import itertools

from flask import Flask
from flask.testing import FlaskClient

from app.platform.models import AccountKind, PlatformAccount
from app.platform.services import create_platform_account
from tests.factories import USER_PASSWORD, totp_code

_counter = itertools.count(1)


def make_platform_account(
    kind: AccountKind = AccountKind.ADMINISTRATOR,
    province: str | None = None,
    district: str | None = None,
    email: str | None = None,
) -> PlatformAccount:
    """A platform account made through the real service."""
    email = email or f"platform{next(_counter)}@example.com"
    return create_platform_account(
        email, "บัญชีแพลตฟอร์ม", USER_PASSWORD, kind, province=province, district=district
    )


def platform_client(app: Flask, account: PlatformAccount) -> FlaskClient:
    """A client signed in as ``account`` through the platform's sign-in page."""
    client = app.test_client()
    code = totp_code(account) if account.needs_two_factor else ""  # type: ignore[arg-type]
    response = client.post(
        "/platform/login",
        data={"email": account.email, "password": USER_PASSWORD, "code": code},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client
