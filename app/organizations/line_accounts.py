"""Which LINE Official Account speaks for a body, and with which credentials.

Two kinds of account can be in use at once:

- a body's own (``OWN``): its channel secret and access token, stored sealed on the organization
  (``app.credentials``); a body without them uses the installation's ``LINE_CHANNEL_SECRET`` /
  ``LINE_CHANNEL_ACCESS_TOKEN``, so a single-body install keeps its settings;
- the platform's (``PLATFORM``), one account for every body (``LINE_PLATFORM_CHANNEL_*``), whose
  residents say their ตำบล and are served by the body serving it.

Records that reach a resident on LINE (events, conversations, cases, notifications) keep the
account the resident used, so that an answer or a later push goes out with that account's token:
a LINE user id means something only to the provider of the account that saw it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.credentials import seal, unseal
from app.database import AnySession, unit_of_work
from app.organizations.models import Organization
from app.organizations.services import OrganizationError

OWN = ""
PLATFORM = "platform"
ACCOUNTS = (OWN, PLATFORM)
# LINE's channel secrets are 32 hex characters and long-lived tokens about 170 characters.
MAX_CREDENTIAL = 500


@dataclass(frozen=True)
class LineCredentials:
    """A LINE channel's secret (checks webhook signatures) and access token (calls the API)."""

    secret: str = field(repr=False)
    access_token: str = field(repr=False)


def installation_credentials(config: Mapping[str, Any]) -> LineCredentials | None:
    """The installation's ``LINE_CHANNEL_*`` settings: every body's default account."""
    secret, token = config["LINE_CHANNEL_SECRET"], config["LINE_CHANNEL_ACCESS_TOKEN"]
    return LineCredentials(secret, token) if secret and token else None


def platform_credentials(config: Mapping[str, Any]) -> LineCredentials | None:
    """The platform-wide account's credentials, or None when the platform has none."""
    secret = config["LINE_PLATFORM_CHANNEL_SECRET"]
    token = config["LINE_PLATFORM_CHANNEL_ACCESS_TOKEN"]
    return LineCredentials(secret, token) if secret and token else None


def own_credentials(organization: Organization) -> LineCredentials | None:
    """The body's own stored account, opened; None when it has none stored."""
    if not (organization.line_secret_sealed and organization.line_token_sealed):
        return None
    return LineCredentials(
        unseal(organization.line_secret_sealed), unseal(organization.line_token_sealed)
    )


def body_credentials(organization: Organization) -> LineCredentials | None:
    """The account that speaks for ``organization``: its own, else the installation's."""
    return own_credentials(organization) or installation_credentials(current_app.config)


def account_credentials(
    session: AnySession, organization_id: int, account: str
) -> LineCredentials | None:
    """The credentials of ``account`` (``OWN`` or ``PLATFORM``) as seen by a body's record."""
    if account == PLATFORM:
        return platform_credentials(current_app.config)
    organization = session.get(Organization, organization_id)
    return body_credentials(organization) if organization is not None else None


def any_own_line_account(session: AnySession) -> bool:
    """Whether any body has its own LINE account stored (the outbox then delivers LINE)."""
    found = session.scalar(
        select(Organization.id).where(Organization.line_token_sealed.is_not(None)).limit(1)
    )
    return found is not None


def set_line_credentials(
    session: AnySession, organization: Organization, secret: str, access_token: str
) -> None:
    """Store (sealed) the body's own LINE account and commit; both or neither ("" clears)."""
    secret, access_token = secret.strip(), access_token.strip()
    if bool(secret) != bool(access_token):
        raise OrganizationError("ต้องระบุทั้ง channel secret และ access token ของ LINE")
    if max(len(secret), len(access_token)) > MAX_CREDENTIAL or any(
        c.isspace() for c in secret + access_token
    ):
        raise OrganizationError("channel secret หรือ access token ของ LINE ไม่ถูกต้อง")
    with unit_of_work(session):
        organization.line_secret_sealed = seal(secret) if secret else None
        organization.line_token_sealed = seal(access_token) if access_token else None
