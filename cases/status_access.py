"""Status pages whose URLs carry no token: access to one case in a short-lived signed cookie.

The link residents are sent (``/track/<code>/<token>``) keeps working, but the token should not
travel further than the one request that opens it: in later request lines it would land in
access logs, in audit rows (a refused form records its path) and in history. So opening the
link, or finding a case by code and phone, checks the secret once, grants access to that case
in a cookie scoped to ``/track/<code>`` and redirects (303) to ``/track/<code>``, which renders
the page from the cookie; the page's forms post to token-free URLs under the same path
(GlobaLeaks does the same with its receipts).

The cookie is signed with ``SECRET_KEY``, names only the case, expires ``ACCESS_LIFETIME``
after the last page view and is ``HttpOnly`` and ``SameSite=Lax`` (``Secure`` in production).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, redirect, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.wrappers import Response

from app.extensions import db
from app.links import public_url
from app.tracking import normalise_code, status_token
from cases.errors import CaseNotFound
from cases.models import Case

COOKIE_NAME = "case_access"
ACCESS_LIFETIME = timedelta(hours=1)
_SIGNING_SALT = "cases.status-access"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SIGNING_SALT)


def status_page_path(code: str) -> str:
    """The token-free address of a case's status page (also the cookie's path)."""
    return url_for("cases.status_page", code=code)


def grant_access(response: Response, case_id: int, code: str) -> Response:
    """Let this browser open ``code``'s status page (and post its forms) for a while."""
    response.set_cookie(
        COOKIE_NAME,
        _serializer().dumps({"case": case_id, "code": code}),
        max_age=int(ACCESS_LIFETIME.total_seconds()),
        path=status_page_path(code),
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
    return response


def redirect_to_status_page(
    case_id: int, code: str, new: bool = False, status: int = 303
) -> Response:
    """A redirect (303) to the token-free status page, with access granted in the cookie.

    The intake forms keep their 302 (what their clients and tests expect after a POST).
    """
    target = url_for("cases.status_page", code=code, new=1 if new else None)
    return grant_access(redirect(target, code=status), case_id, code)


def _granted() -> dict[str, Any]:
    raw = request.cookies.get(COOKIE_NAME, "")
    try:
        granted = _serializer().loads(raw, max_age=int(ACCESS_LIFETIME.total_seconds()))
    except BadSignature:  # also an expired signature
        return {}
    return granted if isinstance(granted, dict) else {}


def case_for_access(code: str) -> Case:
    """The case this browser was granted for ``code``; ``CaseNotFound`` without a valid grant.

    The same error whether or not the code exists, so a code alone reveals nothing.
    """
    granted = _granted()
    case = db.session.scalar(select(Case).where(Case.code == normalise_code(code)))
    if case is None or granted.get("case") != case.id or granted.get("code") != case.code:
        raise CaseNotFound(code)
    return case


def status_path_token(case: Case) -> str:
    """The token of ``case``'s status link."""
    return status_token(current_app.config["SECRET_KEY"], case.code, case.token_salt)


def status_url(case: Case) -> str:
    """The resident's private status link, on the service's public address (PUBLIC_BASE_URL).

    The one place a status link is built: the receipt page, the LINE bot and notifications.
    """
    return public_url("cases.status", code=case.code, token=status_path_token(case))
