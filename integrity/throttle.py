"""Rate-limit keys for the integrity pages that tie no IP address to a report.

Flask-Limiter keeps a counter per key (``LIMITER/<key>/integrity.report/...`` in Redis): keyed by
the address, a dump of the counters would say which address sent a report, and when. Here the
key is an HMAC of the address under ``SECRET_KEY`` and today's UTC date: the same client still
counts against one key all day, but the key cannot be turned back into the address without the
secret, and it changes every day.
"""

from __future__ import annotations

from datetime import UTC, datetime

from app import clients

_PURPOSE = "integrity-rate-limit"


def client_key(address: str, day: str) -> str:
    """The keyed hash under which ``address``'s attempts on ``day`` (UTC, ISO) are counted."""
    return "client-" + clients.client_key(_PURPOSE, address, day)


def anonymous_client_key() -> str:
    """Flask-Limiter ``key_func`` of the integrity pages: this client, today, without its IP."""
    return "client-" + clients.current_client(_PURPOSE, datetime.now(UTC).date().isoformat())
