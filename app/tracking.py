"""Tracking codes (เลขรับเรื่อง) and the secret status-link tokens that go with them.

A code such as ``R70-000123`` is short enough to read over the phone: a prefix, the last two
digits of the Buddhist-Era fiscal year and a per-year sequence. Codes are guessable, so a code
alone never opens a case: the resident's link carries a token, an HMAC of the case's random salt
under the application's secret key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from app.database import AnySession
from app.models import TrackingSequence

CASE_PREFIX = "R"
CODE_PATTERN = re.compile(r"^([A-Z])(\d{2})-(\d{6,})$")


def next_sequence(session: AnySession, prefix: str, fiscal_year: int) -> int:
    """Take the next number of ``prefix``'s sequence for ``fiscal_year``, race-free.

    The UPDATE locks the counter row until the caller's transaction ends, so concurrent
    submissions queue on it; the INSERT creates the row the first time, and ON CONFLICT lets a
    concurrent first insert win without an error.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(TrackingSequence)
        .values(prefix=prefix, fiscal_year=fiscal_year, last_value=0)
        .on_conflict_do_nothing()
    )
    value = session.execute(
        update(TrackingSequence)
        .where(TrackingSequence.prefix == prefix, TrackingSequence.fiscal_year == fiscal_year)
        .values(last_value=TrackingSequence.last_value + 1)
        .returning(TrackingSequence.last_value)
    ).scalar_one()
    return int(value)


def format_code(prefix: str, fiscal_year: int, sequence: int) -> str:
    """``R``, 2570, 123 -> ``R70-000123``."""
    return f"{prefix}{fiscal_year % 100:02d}-{sequence:06d}"


def normalise_code(raw: str) -> str:
    """Accept what people type or read out: lower case, spaces, Thai-style dashes, no dash."""
    cleaned = re.sub(r"[\s\u2010-\u2015]", "", raw or "").upper()
    if "-" not in cleaned and len(cleaned) > 3:
        cleaned = f"{cleaned[:3]}-{cleaned[3:]}"
    return cleaned


def new_token_salt() -> str:
    """A fresh random salt for a case's status token."""
    return secrets.token_hex(16)


def status_token(secret_key: str, code: str, salt: str) -> str:
    """The unguessable token of a case's status link (about 130 bits)."""
    digest = hmac.new(secret_key.encode(), f"status:{code}:{salt}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode()[:22]


def token_matches(secret_key: str, code: str, salt: str, candidate: str) -> bool:
    """Constant-time check of a token taken from a URL."""
    return hmac.compare_digest(status_token(secret_key, code, salt), candidate or "")
