"""Rate limits shared by every app process through Redis (the production set-up).

Needs the Redis at ``TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/5``); skipped with a
message when none answers. Only the limiter's own keys (``*LIMITER/*``) are removed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from flask import Flask

from app.extensions import db
from rongrian import create_app
from tests.conftest import make_config

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
WRONG_LOOKUP = {"code": "R70-000001", "phone": "0800000000"}


def _clear_limiter_keys(client: redis.Redis) -> None:
    for key in client.scan_iter("*LIMITER/*"):
        client.delete(key)


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The test Redis, without rate-limit counters before and after the test."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL} (set TEST_REDIS_URL)")
    _clear_limiter_keys(client)
    yield REDIS_URL
    _clear_limiter_keys(client)
    client.close()


@pytest.fixture
def new_process(database_url: str, tmp_path: Path) -> Iterator[Callable[[str], Flask]]:
    """Start an app as another worker process would: its own engine and rate-limit storage.

    Lookups only read, so the apps use the session database directly (no test transaction).
    """
    engines = []

    def start(storage_uri: str) -> Flask:
        app = create_app(
            make_config(
                database_url,
                tmp_path / "uploads",
                RATELIMIT_ENABLED=True,
                RATELIMIT_STORAGE_URI=storage_uri,
                TRACK_RATE_LIMIT="2 per hour",
            )
        )
        engines.append(db.engine)
        return app

    yield start
    db.session.remove()
    for engine in engines:
        engine.dispose()  # type: ignore[union-attr]


def _lookup(app: Flask) -> int:
    with app.app_context():
        return app.test_client().post("/track", data=WRONG_LOOKUP).status_code


def _lookups_on_two_processes(start: Callable[[str], Flask], storage_uri: str) -> list[int]:
    """Look up on process A, start process B, look up on B, then on A again."""
    first = start(storage_uri)
    statuses = [_lookup(first)]
    second = start(storage_uri)
    statuses += [_lookup(second), _lookup(first)]
    return statuses


def test_a_limit_holds_across_two_app_instances_sharing_redis(new_process, redis_url):
    assert _lookups_on_two_processes(new_process, redis_url) == [200, 200, 429]


def test_in_memory_counters_start_again_in_each_app_instance(new_process):
    # Why production refuses memory:// without SINGLE_PROCESS: each process has its own count.
    assert _lookups_on_two_processes(new_process, "memory://") == [200, 200, 200]
