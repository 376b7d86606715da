"""Alembic environment: runs migrations on the URL given by ``app.migrate``."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from app.database import build_engine
from app.migrate import include_object_on, target_metadata
from app.models import UTCDateTime

config = context.config


def _render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our UTCDateTime as a plain timestamptz: migrations must not import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata(),
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object_on(connection.dialect.name),
        render_item=_render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Use a connection handed over by the caller, else open one on ``sqlalchemy.url``."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = build_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            _run_without_foreign_key_enforcement(conn)
        else:
            _run(conn)
    engine.dispose()


def _run_without_foreign_key_enforcement(conn: Connection) -> None:
    """SQLite alters a table by copying it and dropping the old one (batch mode).

    With foreign keys enforced, dropping a table that other rows refer to fails, so enforcement
    is off while the migrations run (SQLite ignores the pragma inside a transaction, hence on the
    driver's connection before SQLAlchemy begins one) and every reference is checked after.
    """
    driver = conn.connection.driver_connection
    assert driver is not None
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        _run(conn)
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left broken references in tables: {broken}")
    finally:
        driver.execute("PRAGMA foreign_keys=ON")


run_migrations_online()
