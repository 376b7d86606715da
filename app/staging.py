"""Limits on files kept between tries of a form ("staging"): per client and in total.

A form sent back for correction keeps the files it accepted until it is sent again or the daily
purge removes them; a client who keeps posting forms that are never finished would fill the disk.
Both tracks' forms go through two limits before a file is stored:

- Per client: at most ``STAGING_MAX_FILES_PER_CLIENT`` files and ``STAGING_MAX_MB_PER_CLIENT`` MB
  staged from one address within a day (the staging lifetime). Files are counted when staged and
  given back when their form is sent, so finished cases do not count. The counters live in the
  rate-limit storage (``RATELIMIT_STORAGE_URI``) under a keyed hash of the address (an IPv6
  client by its /64 network), never the address itself, and expire with the day.
- In total: the staged files of every client stay under ``STAGING_MAX_TOTAL_MB``. Each track
  registers how to sum its staged bytes (``register``), so the kernel reads none of their tables.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable

from flask import Flask, current_app
from limits import RateLimitItemPerDay
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string

from app import clients

logger = logging.getLogger(__name__)
MB = 1024**2
# The counters' window: the staging lifetime, after which the daily purge removes leftovers.
WINDOW = RateLimitItemPerDay(1)
_STORAGE = "staging.storage"
_COUNTERS = "staging.counters"

# Sums the bytes of one track's staged files (every file not yet part of a case or report).
StagedBytes = Callable[[], int]


class StagingLimitReached(Exception):
    """No more files may be staged: ``reason`` is ``staging_client`` or ``staging_full``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def init_app(app: Flask) -> None:
    """Open the counters' storage (the one the rate limits use) for ``app``."""
    uri = app.config["RATELIMIT_STORAGE_URI"]
    app.extensions[_STORAGE] = storage_from_string(uri, wrap_exceptions=True)


def register(app: Flask, staged_bytes: StagedBytes) -> None:
    """Count one track's staged files towards ``STAGING_MAX_TOTAL_MB``."""
    app.extensions.setdefault(_COUNTERS, []).append(staged_bytes)


def current_client() -> str:
    """The requesting client as the staging limits count it (a keyed hash, never the address)."""
    return clients.current_client("staging")


def _storage() -> Storage:
    storage: Storage = current_app.extensions[_STORAGE]
    return storage


def _kilobytes(size: int) -> int:
    return max(1, math.ceil(size / 1024))


def _take(key: str, amount: int, limit: int) -> bool:
    """Add ``amount`` to the counter ``key`` if it stays within ``limit`` (atomic increment)."""
    storage = _storage()
    if storage.incr(key, WINDOW.get_expiry(), amount=amount) <= limit:
        return True
    storage.incr(key, WINDOW.get_expiry(), amount=-amount)
    return False


def _give_back(key: str, amount: int) -> None:
    """Lower the counter ``key`` by ``amount``, never below zero (it may have expired)."""
    storage = _storage()
    amount = min(amount, storage.get(key))
    if amount > 0:
        storage.incr(key, WINDOW.get_expiry(), amount=-amount)


def _keys(client: str) -> tuple[str, str]:
    return f"staging/files/{client}", f"staging/kb/{client}"


def staged_bytes_total() -> int:
    """The bytes of every track's staged files together."""
    return sum(count() for count in current_app.extensions.get(_COUNTERS, []))


def reserve(client: str | None, size: int) -> None:
    """Count a file of ``size`` bytes about to be staged; ``StagingLimitReached`` if over a limit.

    ``client`` is ``current_client()`` for a web form; ``None`` (LINE chats, which stage one photo
    at a time under their own limits) checks the total only.
    """
    config = current_app.config
    if staged_bytes_total() + size > config["STAGING_MAX_TOTAL_MB"] * MB:
        raise StagingLimitReached("staging_full")
    if client is None:
        return
    try:
        _reserve_for_client(client, size)
    except StorageError as exc:
        # The counters are down (Redis unreachable): the total above still bounds the disk.
        logger.warning("staging counters unavailable: %s", type(exc).__name__)


def _reserve_for_client(client: str, size: int) -> None:
    config = current_app.config
    files_key, kb_key = _keys(client)
    if not _take(files_key, 1, config["STAGING_MAX_FILES_PER_CLIENT"]):
        raise StagingLimitReached("staging_client")
    if not _take(kb_key, _kilobytes(size), config["STAGING_MAX_MB_PER_CLIENT"] * 1024):
        _give_back(files_key, 1)
        raise StagingLimitReached("staging_client")


def release(client: str | None, sizes: Iterable[int]) -> None:
    """Give back what ``reserve`` counted for files now part of a sent case or report."""
    sizes = list(sizes)
    if client is None or not sizes:
        return
    files_key, kb_key = _keys(client)
    try:
        _give_back(files_key, len(sizes))
        _give_back(kb_key, sum(_kilobytes(size) for size in sizes))
    except StorageError as exc:
        logger.warning("staging counters unavailable: %s", type(exc).__name__)
