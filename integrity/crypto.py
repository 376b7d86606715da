"""Encryption at rest of what could tell who reported whom.

Identity, contact and every free-text field of an integrity report (and the evidence files) are
Fernet tokens in the database and on disk, under ``INTEGRITY_KEY``. The setting holds one or more
comma-separated keys: the first encrypts, all of them decrypt (``MultiFernet``), so a new key is
put first, ``flask integrity rotate-key`` re-encrypts everything under it, and the old key is then
removed. A database dump, or a backup of the upload folder, alone reveals nothing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from flask import current_app
from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator


@lru_cache(maxsize=4)
def _multi_fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])


def cipher() -> MultiFernet:
    """The keys of the running app; the first one encrypts."""
    return _multi_fernet(current_app.config["INTEGRITY_KEY"])


def encrypt(data: bytes) -> bytes:
    """Encrypt ``data`` under the first key."""
    return cipher().encrypt(data)


def decrypt(token: bytes) -> bytes:
    """Decrypt a token made under any of the configured keys."""
    return cipher().decrypt(token)


def rotate(token: bytes) -> bytes:
    """Re-encrypt a token under the first key (keeping its original timestamp)."""
    return cipher().rotate(token)


class EncryptedText(TypeDecorator[str]):
    """A text column stored as a Fernet token; Python code only ever sees the plain text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return encrypt(value.encode()).decode("ascii")

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return decrypt(str(value).encode("ascii")).decode()
