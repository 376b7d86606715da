"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, g

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
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


def mark_private() -> None:
    """Call from a view whose URL or page carries a secret (a status token, a receipt).

    The response then gets ``Referrer-Policy: no-referrer`` and ``Cache-Control: no-store``.
    """
    g.private_page = True


def _add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
    if g.get("private_page"):
        headers["Referrer-Policy"] = "no-referrer"
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the header hook."""
    app.after_request(_add_headers)
