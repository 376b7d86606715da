"""The SQLAlchemy engine and the request-scoped session.

We use plain SQLAlchemy 2.x rather than Flask-SQLAlchemy: the session is a ``scoped_session``
removed at the end of every request, and tests can bind it to one outer transaction that is rolled
back after each test (the *warehouse* pattern), on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from sqlalchemy.pool import QueuePool

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


def _keep_row_values_out_of_errors(engine: Engine) -> None:
    """Cut PostgreSQL's DETAIL/HINT/CONTEXT lines out of database errors, keep the first line.

    ``hide_parameters`` hides the values SQLAlchemy bound, but the server repeats them itself:
    ``DETAIL: Failing row contains (..., 0812345678, ...)`` or ``Key (code)=(...) already
    exists``. The full diagnostics stay on ``error.orig.diag`` for code that needs them.
    """

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        original = context.original_exception
        primary = getattr(getattr(original, "diag", None), "message_primary", None)
        if not primary:
            return
        full = str(original)
        original.args = (primary,)
        wrapped = context.sqlalchemy_exception
        if wrapped is not None and wrapped.args and isinstance(wrapped.args[0], str):
            wrapped.args = (wrapped.args[0].replace(full, primary), *wrapped.args[1:])


# Idle connections a process keeps: more than a web worker's threads ever hold at once.
POOL_SIZE = 10


def build_engine(url: str, pool_size: int = POOL_SIZE) -> Engine:
    """Create the engine for ``url`` with the settings each backend needs.

    ``hide_parameters``: a failing statement's error (and so any log of it) names the SQL but
    never the bound values, which are residents' names, phone numbers and texts.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, hide_parameters=True)
        _make_sqlite_transactional(engine)
        return engine
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=pool_size, max_overflow=20, hide_parameters=True
    )
    _keep_row_values_out_of_errors(engine)
    return engine


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

    def keep_connections_for(self, threads: int) -> None:
        """Keep a connection for each of a process's ``threads`` threads (PostgreSQL).

        Past the pool's size a connection is closed after use and opened again for the next
        one: on a burst, the LINE processors' 20 threads opened some thirty new connections
        (a new PostgreSQL backend each) instead of reusing theirs.
        """
        engine = self.engine
        if engine is None or engine.dialect.name == "sqlite":
            return
        if not isinstance(engine.pool, QueuePool) or engine.pool.size() >= threads:
            return
        engine.dispose()
        self.engine = build_engine(engine.url.render_as_string(hide_password=False), threads)
        self._factory.configure(bind=self.engine)

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


@contextmanager
def unit_of_work(session: AnySession) -> Iterator[AnySession]:
    """One service call's transaction: what is done inside is committed at the end, or, if
    anything raises, rolled back and the error raised (the transaction rule: see
    docs/architecture.md). The functions called inside add to ``session`` and never commit."""
    try:
        yield session
        session.commit()
    except Exception:
        session.rollback()
        raise
