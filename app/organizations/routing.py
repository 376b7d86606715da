"""Which organization a request is for: its host name, else a ``/o/<slug>/`` path prefix.

A single-organization install needs neither and keeps its URLs. With several organizations, a
request that names none is the platform's: its home page finds a body by ตำบล, อำเภอ or จังหวัด,
and every other page is not found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, abort, current_app, g, request

from app.extensions import db
from app.organizations import platform_pages, scope
from app.organizations.models import Organization
from app.organizations.services import find_by_host, find_by_slug, sole_organization

PREFIX = re.compile(r"^/o/([a-z0-9][a-z0-9-]{1,38}[a-z0-9])(/.*)?$")
SLUG_KEY = "rongrian.organization_slug"
# Endpoints that serve the platform itself when a request names no organization.
PLATFORM_ENDPOINTS = frozenset({"static"})
# app.extensions key: the blueprints whose pages are the platform's own (``serve_on_platform``).
PLATFORM_BLUEPRINTS = "rongrian.platform_blueprints"


def serve_on_platform(app: Flask, *blueprints: str) -> None:
    """Serve ``blueprints`` as the platform's own pages: only where a request names no body
    (the platform's host, or any host of a single-body install that lists none), with no
    organization in scope; under a body's host or ``/o/<slug>/`` they are not found."""
    app.extensions.setdefault(PLATFORM_BLUEPRINTS, set()).update(blueprints)


def _platform_page() -> bool:
    """Whether the request is for one of the platform's own pages."""
    return request.blueprint in current_app.extensions.get(PLATFORM_BLUEPRINTS, ())


class PathPrefix:
    """WSGI middleware: ``/o/<slug>/rest`` becomes ``rest`` under the script name ``/o/<slug>``.

    Every ``url_for`` inside the body's pages then keeps the prefix, so forms, status links and
    receipts stay within the body.
    """

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]]) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        match = PREFIX.match(environ.get("PATH_INFO", ""))
        if match:
            environ[SLUG_KEY] = match.group(1)
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/o/{match.group(1)}"
            environ["PATH_INFO"] = match.group(2) or "/"
        return self.wsgi_app(environ, start_response)


def request_organization() -> Organization | None:
    """The organization the current request names, or None for the platform's own pages."""
    slug = request.environ.get(SLUG_KEY)
    if slug:
        return find_by_slug(db.session, slug)
    return organization_for_host(request.host)


def organization_for_host(host_header: str | None) -> Organization | None:
    """The organization a ``Host`` header names, else the only one of a single-body install.

    Also used before Flask's request machinery (the LINE webhook's fast path).
    """
    host = _host(host_header)
    found = find_by_host(db.session, host) if host else None
    return found or sole_organization(db.session)


def _host(host_header: str | None) -> str:
    """The host name of a ``Host`` header: lower case, no port."""
    return host_header.rsplit(":", 1)[0].lower() if host_header else ""


def _enter_organization() -> str | None:
    """``before_request``: put the request in its organization's scope, or the platform's.

    A suspended or unknown body's pages are not found; the platform serves only its home page
    (``/``), static files and the blueprints given to ``serve_on_platform``.
    """
    if _platform_page():
        g.organization_scope_token = scope.set_current(scope.PLATFORM)
        g.organization = None
        if request.environ.get(SLUG_KEY) or find_by_host(db.session, _host(request.host)):
            abort(404)  # the platform's pages are not served under a body's name
        return None
    organization = request_organization()
    if organization is not None and organization.active:
        g.organization_scope_token = scope.set_current(organization.id)
        g.organization = organization
        return None
    g.organization_scope_token = scope.set_current(scope.PLATFORM)
    g.organization = None
    if request.environ.get(SLUG_KEY) or organization is not None:
        abort(404)
    if request.path == "/" and request.method == "GET":
        return platform_pages.platform_home()
    if request.endpoint not in PLATFORM_ENDPOINTS:
        abort(404)
    return None


def _leave_organization(_exc: BaseException | None) -> None:
    token = g.pop("organization_scope_token", None)
    if token is not None:
        scope.reset(token)


def init_app(app: Flask) -> None:
    """Install the prefix middleware and the per-request scope."""
    app.wsgi_app = PathPrefix(app.wsgi_app)  # type: ignore[method-assign]
    app.before_request(_enter_organization)
    app.teardown_request(_leave_organization)
