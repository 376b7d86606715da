"""Encryption at rest of what could tell who reported whom, under each organization's own key.

Identity, contact and every free-text field of an integrity report (and the evidence files) are
Fernet tokens in the database and on disk. Each organization (body) has its own random data key,
stored in ``organizations.integrity_key`` only *wrapped*: encrypted under the platform's master
key ``INTEGRITY_KEY``. The data key of the organization in scope encrypts; it is unwrapped on use
and cached per process by (organization, wrapped key), so a rotated key is never served stale.
A body gets its key the first time one of its reports is written.

A value written by the ORM is encrypted under the key of the row's own ``organization_id`` (a
flush in platform scope, or in another body's scope, still writes under the row's body key);
other writes use the organization in scope. ``INTEGRITY_KEY`` holds one or more comma-separated
master keys: the first wraps (and encrypts what is written with no organization at all), all of
them unwrap. Values written before bodies had keys were made under the master key directly:
decryption falls back to the master keys, and ``flask integrity rotate-key`` moves them to their
body's key (see ``integrity.upkeep``).
A database dump, or a backup of the upload folder, alone reveals nothing.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from flask import current_app
from sqlalchemy import Connection, Dialect, Text, column, event, select, table, update
from sqlalchemy.orm import Mapper, Session, SessionTransaction, attributes
from sqlalchemy.types import TypeDecorator

from app.extensions import db
from app.organizations.scope import current_organization_id

# Core handle on the wrapped keys: read and written on the session's connection, never through
# the ORM, so a lookup made while a flush encrypts a value fires no ORM event.
_organizations = table("organizations", column("id"), column("integrity_key"))
# Per-transaction cache of the wrapped keys read, in ``Session.info``.
_WRAPPED = "integrity_wrapped_keys"


@lru_cache(maxsize=4)
def _master_keys(keys: str) -> tuple[Fernet, ...]:
    return tuple(Fernet(key.strip().encode()) for key in keys.split(",") if key.strip())


def master_keys() -> tuple[Fernet, ...]:
    """The platform's master keys (``INTEGRITY_KEY``); the first one wraps."""
    return _master_keys(current_app.config["INTEGRITY_KEY"])


def master() -> MultiFernet:
    """The master keys as one cipher: encrypts under the first, decrypts under any."""
    return MultiFernet(master_keys())


@lru_cache(maxsize=256)
def _unwrap(_organization_id: int, wrapped: str, master_setting: str) -> Fernet:
    return Fernet(MultiFernet(_master_keys(master_setting)).decrypt(wrapped.encode("ascii")))


def unwrap(organization_id: int, wrapped: str) -> Fernet:
    """The data key inside ``wrapped`` (cached per process by organization and wrapped key)."""
    return _unwrap(organization_id, wrapped, current_app.config["INTEGRITY_KEY"])


def wrap_new_key() -> str:
    """A fresh random data key, wrapped by the first master key (what the column stores)."""
    return master().encrypt(Fernet.generate_key()).decode("ascii")


def stored_wrapped_key(connection: Connection, organization_id: int) -> str | None:
    """The organization's wrapped data key as stored, or None before its first report."""
    found = connection.scalar(
        select(_organizations.c.integrity_key).where(_organizations.c.id == organization_id)
    )
    return None if found is None else str(found)


def store_wrapped_key(connection: Connection, organization_id: int, wrapped: str) -> None:
    """Replace the organization's wrapped data key (rotation, master-key re-wrap)."""
    connection.execute(
        update(_organizations)
        .where(_organizations.c.id == organization_id)
        .values(integrity_key=wrapped)
    )
    db.session.info.get(_WRAPPED, {}).pop(organization_id, None)


def _wrapped_key(organization_id: int, create: bool) -> str | None:
    """The wrapped key, read once per transaction; made (race-safely) when ``create``."""
    cache: dict[int, str | None] = db.session.info.setdefault(_WRAPPED, {})
    wrapped = cache.get(organization_id)
    if wrapped is not None or (organization_id in cache and not create):
        return wrapped
    connection = db.session.connection()
    wrapped = stored_wrapped_key(connection, organization_id)
    if wrapped is None and create:
        # Only where none is stored: of two first writers at once, one key wins for both.
        connection.execute(
            update(_organizations)
            .where(_organizations.c.id == organization_id, _organizations.c.integrity_key.is_(None))
            .values(integrity_key=wrap_new_key())
        )
        wrapped = stored_wrapped_key(connection, organization_id)
    cache[organization_id] = wrapped
    return wrapped


def organization_key(organization_id: int, create: bool = True) -> Fernet | None:
    """The organization's data key, unwrapped; made on first use unless ``create`` is False."""
    wrapped = _wrapped_key(organization_id, create)
    if wrapped is None:
        return None
    return unwrap(organization_id, wrapped)


def keys_for(organization_id: int | None, create: bool = True) -> list[Fernet]:
    """The body's key first (it encrypts), then the master keys (values from before body keys).

    With no organization (platform scope) only the master keys apply.
    """
    keys = list(master_keys())
    if organization_id is not None:
        body = organization_key(organization_id, create)
        if body is not None:
            keys.insert(0, body)
    return keys


def cipher(create: bool = True) -> MultiFernet:
    """The cipher of the organization in scope (see ``keys_for``)."""
    return MultiFernet(keys_for(current_organization_id(db.session), create))


def encrypt(data: bytes) -> bytes:
    """Encrypt ``data`` under the data key of the organization in scope."""
    return cipher().encrypt(data)


class _RowValue(str):
    """Plain text on its way into a row, carrying the row's organization (set at flush)."""

    organization_id: int | None


def _encrypt_value(value: str) -> bytes:
    """Encrypt under the key of the value's row when known (``_RowValue``), else the scope's."""
    if isinstance(value, _RowValue):
        return MultiFernet(keys_for(value.organization_id)).encrypt(value.encode())
    return encrypt(value.encode())


@cache
def _encrypted_keys(mapper: Mapper[Any]) -> tuple[str, ...]:
    """The attributes of ``mapper`` stored encrypted (none for most models)."""
    return tuple(c.key for c in mapper.column_attrs if isinstance(c.columns[0].type, EncryptedText))


def _mark_row_values(mapper: Mapper[Any], _connection: Connection, target: Any) -> None:
    """Tag each encrypted value being written with its row's organization (run per row as the
    flush collects it, after the organization scope stamped new rows)."""
    keys = _encrypted_keys(mapper)
    if not keys:
        return
    organization_id = getattr(target, "organization_id", None)
    for key in keys:
        added = attributes.get_history(target, key).added
        if added and isinstance(added[0], str) and not isinstance(added[0], _RowValue):
            value = _RowValue(added[0])
            value.organization_id = organization_id
            setattr(target, key, value)


def decrypt(token: bytes) -> bytes:
    """Decrypt a token made under the body's key or (older values) a master key."""
    return cipher(create=False).decrypt(token)


@event.listens_for(Session, "after_begin")
def _forget_wrapped_keys(
    session: Session, _transaction: SessionTransaction, _connection: Connection
) -> None:
    """Each transaction reads the wrapped keys afresh (another process may have rotated one)."""
    session.info.pop(_WRAPPED, None)


class EncryptedText(TypeDecorator[str]):
    """A text column stored as a Fernet token; Python code only ever sees the plain text."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return _encrypt_value(value).decode("ascii")

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return decrypt(str(value).encode("ascii")).decode()


# Every mapper (the integrity models are the ones with encrypted columns).
event.listen(Mapper, "before_insert", _mark_row_values)
event.listen(Mapper, "before_update", _mark_row_values)
