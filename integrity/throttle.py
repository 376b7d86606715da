"""Rate-limit keys for the integrity pages that tie no IP address to a report.

Flask-Limiter keeps a counter per key (``LIMITER/<key>/integrity.report/...`` in Redis): keyed by
the address, a dump of the counters would say which address sent a report, and when. Here the
key is an HMAC of the address under ``SECRET_KEY`` and today's UTC date: the same client still
counts against one key all day, but the key cannot be turned back into the address without the
secret, and it changes every day.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from flask import current_app
from flask_limiter.util import get_remote_address

_PURPOSE = "integrity-rate-limit"


def client_key(address: str, day: str) -> str:
    """The keyed hash under which ``address``'s attempts on ``day`` (UTC, ISO) are counted."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    message = f"{_PURPOSE}|{day}|{address}".encode()
    return "client-" + hmac.new(secret, message, hashlib.sha256).hexdigest()[:32]


def anonymous_client_key() -> str:
    """Flask-Limiter ``key_func`` of the integrity pages: this client, today, without its IP."""
    return client_key(get_remote_address(), datetime.now(UTC).date().isoformat())
