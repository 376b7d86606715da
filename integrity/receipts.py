"""Receipts: the reporter's only way back to an integrity report (รหัสติดตาม).

A receipt is 20 random digits shown in five groups of four, e.g. ``4821 0937 5512 8830 1176``.

Design of the lookup: the first ``LOOKUP_DIGITS`` digits are a *lookup id*, unique per report and
stored in clear with an index; the remaining ``SECRET_DIGITS`` digits are the secret, stored only
as an argon2id hash (salted, memory-hard). Checking a receipt therefore finds at most one row by
its lookup id and runs one slow hash, instead of hashing against every report. The lookup id says
nothing about the secret part (both are drawn independently), so an attacker holding a database
dump still faces 10**14 (about 46.5 bits) argon2id guesses per report; online, guesses are also
throttled per client (keyed by a daily keyed hash of the address). No report ever locks: a
lock would tell whoever knows a lookup id that it exists and let them keep the reporter out.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

LOOKUP_DIGITS = 6
SECRET_DIGITS = 14
RECEIPT_DIGITS = LOOKUP_DIGITS + SECRET_DIGITS

# argon2-cffi's defaults are the RFC 9106 "low memory" profile of argon2id.
_hasher = PasswordHasher()
# Verified when no report has the lookup id, so that a miss takes as long as a wrong secret.
_DUMMY_HASH = _hasher.hash("0" * SECRET_DIGITS)


@dataclass(frozen=True)
class Receipt:
    """A receipt split into its stored lookup id and its secret part."""

    lookup: str
    secret: str

    @property
    def digits(self) -> str:
        """The whole receipt as one string of digits."""
        return self.lookup + self.secret

    @property
    def grouped(self) -> str:
        """The receipt in groups of four digits, as shown to the reporter."""
        return " ".join(self.digits[i : i + 4] for i in range(0, RECEIPT_DIGITS, 4))


def _random_digits(count: int) -> str:
    return "".join(secrets.choice("0123456789") for _ in range(count))


def new_receipt() -> Receipt:
    """A fresh random receipt (the caller makes sure its lookup id is unused)."""
    return Receipt(lookup=_random_digits(LOOKUP_DIGITS), secret=_random_digits(SECRET_DIGITS))


def parse(raw: str) -> Receipt | None:
    """Read a receipt as typed (spaces, dashes, Thai digits allowed); None if malformed."""
    digits = "".join(str(int(ch)) for ch in re.sub(r"[\s\-]", "", raw or "") if ch.isdecimal())
    if len(digits) != RECEIPT_DIGITS or len(re.sub(r"[\s\-]", "", raw or "")) != RECEIPT_DIGITS:
        return None
    return Receipt(lookup=digits[:LOOKUP_DIGITS], secret=digits[LOOKUP_DIGITS:])


def hash_secret(receipt: Receipt) -> str:
    """The argon2id hash (with its random salt and parameters) of the secret part."""
    return _hasher.hash(receipt.secret)


def secret_matches(stored_hash: str | None, receipt: Receipt) -> bool:
    """Whether ``receipt``'s secret part matches; a missing hash costs the same time as a miss."""
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, receipt.secret) and bool(stored_hash)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
