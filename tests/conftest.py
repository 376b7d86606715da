"""Fixtures: a migrated database per session, one rolled-back transaction per test.

SQLite by default; PostgreSQL when ``TEST_DATABASE_URL`` is set (CI runs both).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text

from app import migrate
from app.config import Config
from app.database import unit_of_work
from app.extensions import db
from cases.seed import seed_reference_data
from rongrian import create_app
from tests.fakes.line_api import FakeLineApi

# A fixed Fernet key (32 bytes of base64) so that tests can encrypt integrity reports.
TEST_INTEGRITY_KEY = "dGVzdC1pbnRlZ3JpdHkta2V5LTMyLWJ5dGVzLWxvbmc="
POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip PostgreSQL-only tests on SQLite."""
    for item in items:
        if "postgres_only" in item.keywords and not POSTGRES:
            item.add_marker(pytest.mark.skip(reason="needs TEST_DATABASE_URL=postgresql://..."))


def reset_postgres_schema(url: str) -> None:
    """Drop everything in the test database so every run starts from an empty schema."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database migrated to head with the reference data, shared by the session."""
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    )
    if url.startswith("postgresql"):
        reset_postgres_schema(url)
    migrate.upgrade(url)
    app = create_app(make_config(url, tmp_path_factory.mktemp("uploads")))
    with app.app_context():
        with unit_of_work(db.session):
            seed_reference_data(db.session)
        db.session.remove()
    db.engine.dispose()  # type: ignore[union-attr]
    return url


def make_config(database_url: str, upload_dir: Path, **overrides: Any) -> Config:
    """Test settings; ``overrides`` may also name Flask settings kept in ``extra``."""
    fields: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "INTEGRITY_KEY": TEST_INTEGRITY_KEY,
        "DATABASE_URL": database_url,
        "UPLOAD_DIR": str(upload_dir),
        "WTF_CSRF_ENABLED": False,
    }
    fields.update(
        {k: overrides.pop(k) for k in list(overrides) if k in Config.__dataclass_fields__}
    )
    config = Config(**fields)
    # Cheap argon2 parameters: hashes made in tests still verify like production ones.
    config.extra.setdefault("PASSWORD_HASH_FAST", True)
    config.extra.update(overrides)
    return config


@pytest.fixture
def app_factory(database_url: str, tmp_path: Path) -> Iterator[Callable[..., Flask]]:
    """Build an app bound to this test's transaction; settings may be overridden."""
    connections = []

    def build(**overrides: Any) -> Flask:
        app = create_app(make_config(database_url, tmp_path / "uploads", **overrides))
        connection = db.engine.connect()  # type: ignore[union-attr]
        transaction = connection.begin()
        db.bind_to(connection)
        connections.append((connection, transaction))
        return app

    yield build
    db.session.remove()
    for connection, transaction in connections:
        transaction.rollback()
        connection.close()
    if db.engine is not None:
        db.engine.dispose()


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Iterator[Flask]:
    """The app with its database transaction, inside an application context."""
    application = app_factory()
    with application.app_context():
        yield application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """A CLI runner of ``app``."""
    return app.test_cli_runner()


@pytest.fixture
def line_api() -> Iterator[FakeLineApi]:
    """A fake of LINE's Messaging API on 127.0.0.1 (``.base_url``, ``.requests``, ...)."""
    with FakeLineApi() as fake:
        yield fake


@pytest.fixture
def login_as(app: Flask) -> Callable[..., FlaskClient]:
    """``login_as("officer")``: a new client signed in (through the real sign-in page) as a fresh
    user holding the given roles; officers get department "works" unless ``departments`` is given.
    The user is on ``client.user``.
    """
    from tests.factories import make_user, sign_in

    def login(*roles: str, departments: tuple[str, ...] | None = None) -> FlaskClient:
        user = make_user(roles=roles or ("officer",), departments=departments)
        client = app.test_client()
        sign_in(client, user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return login
