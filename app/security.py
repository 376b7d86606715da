"""Security headers on every response, and which proxies' forwarded headers to believe."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, after_this_request, current_app, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

IMAGE_SOURCES = "'self' data:"


def content_security_policy(image_origin: str = "") -> str:
    """The policy of every page; ``image_origin`` (one map-tile host) may also serve images."""
    images = f"{IMAGE_SOURCES} {image_origin}" if image_origin else IMAGE_SOURCES
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# A downloaded file must never run anything, even if a browser decides to render it.
SANDBOX_POLICY = "default-src 'none'; sandbox; frame-ancestors 'none'"
# In production browsers only ever talk HTTPS to the service, for a year after a visit. No
# includeSubDomains: other sites of the organization's domain may still be plain HTTP.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
# Staff pages, reports and their downloads, the integrity track and residents' status pages
# show personal data: neither the browser nor a proxy may keep a copy (a shared computer at the
# office, the back button after signing out).
PRIVATE_PREFIXES = ("/staff", "/reports", "/integrity", "/track")


def mark_private() -> None:
    """Call from a view whose URL or page carries a secret (a status token, a receipt).

    The response then gets ``Referrer-Policy: no-referrer`` and ``Cache-Control: no-store``.
    """
    g.private_page = True


def allow_map_tiles(tile_url: str) -> None:
    """Call from a map page: its policy lets images come from the tile server's origin too.

    Only that one origin (scheme, host and port of ``tile_url``), and only images: the map's
    script and styles are the app's own.
    """
    parts = urlsplit(tile_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return
    policy = content_security_policy(f"{parts.scheme}://{parts.netloc}")

    @after_this_request
    def _allow(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = policy
        return response


def _is_private_path(path: str) -> bool:
    """True under one of ``PRIVATE_PREFIXES`` (``/staff/...``, not ``/staffroom``)."""
    return any(path == prefix or path.startswith(f"{prefix}/") for prefix in PRIVATE_PREFIXES)


def _add_headers(response: Response) -> Response:
    headers = response.headers
    if current_app.config["ENV"] == "production":
        headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if _is_private_path(request.path) and "no-store" not in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = "no-store"
    headers.setdefault("Content-Security-Policy", content_security_policy())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
    if g.get("private_page"):
        headers["Referrer-Policy"] = "no-referrer"
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the header hook; behind ``TRUSTED_PROXY_COUNT`` proxies, read their headers.

    Behind nginx every request comes from nginx: the client's address (audit log, sign-in
    throttling, rate limits), scheme and host are in the ``X-Forwarded-*`` headers it adds. Only
    as many entries as there are trusted proxies are believed, counted from the right, so a
    client cannot forge its address by sending the header itself. With 0 they are all ignored.
    """
    app.after_request(_add_headers)
    count = app.config["TRUSTED_PROXY_COUNT"]
    if count:
        # Flask's documented way to add WSGI middleware; mypy sees ``wsgi_app`` as a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )
