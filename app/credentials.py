"""Sealing the credentials an installation keeps for each body (its LINE channel secret and token).

They are stored as Fernet tokens (AES-128-CBC with HMAC-SHA256, ``cryptography``): a copy of the
database or a backup does not hand out a body's LINE account. The keys are ``CREDENTIALS_KEY``
(comma-separated: the first seals, every one opens, so a new key goes in front and the old one
stays until every body's credentials were set again). Without it the keys are derived from
``INTEGRITY_KEY``'s with HKDF under a label of their own, so an installation needs no new
setting and the two uses never share a key.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

DERIVATION_LABEL = b"rongrian credentials v1"


class CredentialsUnreadable(RuntimeError):
    """A sealed credential no configured key opens (CREDENTIALS_KEY changed without rotation)."""


def _derived(master: str) -> Fernet:
    raw = base64.urlsafe_b64decode(master.strip().encode())
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=DERIVATION_LABEL).derive(raw)
    return Fernet(base64.urlsafe_b64encode(key))


def _keys(config: Mapping[str, Any]) -> MultiFernet:
    own = [k.strip() for k in config["CREDENTIALS_KEY"].split(",") if k.strip()]
    if own:
        return MultiFernet([Fernet(k.encode()) for k in own])
    masters = [k for k in config["INTEGRITY_KEY"].split(",") if k.strip()]
    return MultiFernet([_derived(k) for k in masters])


def seal(plain: str) -> str:
    """``plain`` encrypted under the first credentials key (ASCII, for a text column)."""
    return _keys(current_app.config).encrypt(plain.encode()).decode("ascii")


def unseal(sealed: str) -> str:
    """The plain text of a value ``seal`` made; ``CredentialsUnreadable`` if no key opens it."""
    try:
        return _keys(current_app.config).decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, UnicodeError) as exc:
        raise CredentialsUnreadable("no CREDENTIALS_KEY opens a stored credential") from exc
