"""The SQLAlchemy engine and the request-scoped session.

We use plain SQLAlchemy 2.x rather than Flask-SQLAlchemy: the session is a ``scoped_session``
removed at the end of every request, and tests can bind it to one outer transaction that is rolled
back after each test (the *warehouse* pattern), on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, scoped_session, sessionmaker

# Domain functions take either the request-scoped session or a worker's own session.
AnySession = Session | scoped_session[Session]


def _make_sqlite_transactional(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, issue BEGIN, so SAVEPOINTs and rollbacks behave.

    pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT semantics; this is the
    recipe from SQLAlchemy's SQLite dialect documentation.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock up front: two writers wait for each other instead of
        # failing later with "database is locked" on upgrade from a read lock.
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def build_engine(url: str) -> Engine:
    """Create the engine for ``url`` with the settings each backend needs."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False})
        _make_sqlite_transactional(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


class Database:
    """Holds the engine and a scoped session; one per process, bound in ``init_app``."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self._factory = sessionmaker(expire_on_commit=False)
        self.session = scoped_session(self._factory)

    def init_app(self, app: Flask) -> None:
        """Create the engine from ``DATABASE_URL`` and remove the session after each request."""
        self.engine = build_engine(app.config["DATABASE_URL"])
        self._factory.configure(bind=self.engine)
        app.extensions["database"] = self

        @app.teardown_appcontext
        def _remove_session(_exc: BaseException | None) -> None:
            self.session.remove()

    def bind_to(self, connection: Connection) -> None:
        """Run every session inside ``connection``'s open transaction (tests only).

        A service's ``commit()`` then releases a SAVEPOINT instead of committing, and the test
        rolls the outer transaction back.
        """
        self.session.remove()
        self._factory.configure(bind=connection, join_transaction_mode="create_savepoint")

    def new_session(self) -> Session:
        """A session outside the request scope, for threads and workers."""
        return self._factory()
