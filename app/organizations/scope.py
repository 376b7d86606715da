"""The one mechanism that scopes data to an organization.

Each request, CLI command and worker step runs "in" one organization (a context variable, so
threads and requests never share it). While it does:

- every ORM SELECT, UPDATE and DELETE is given ``organization_id = <current>`` for each
  ``OrganizationOwned`` entity it touches, in joins, subqueries and relationship loads too
  (SQLAlchemy's documented global-filter recipe: ``do_orm_execute`` + ``with_loader_criteria``);
- every new ``OrganizationOwned`` row is stamped with it when flushed, and so is every
  ``insert()`` run through ``session.execute`` that does not name one, ORM entity or Core table
  (so a Core insert never names the organization itself: it runs through the session).

Code that must see every organization (a worker claiming the outbox across bodies, the platform's
own pages) says so with ``platform_scope()``; it cannot write owned rows without naming their
organization. Code that must read a few organizations at once (oversight's roll-up of a
province's bodies) says which with ``reading_organizations(ids)``: only SELECTs, only those rows.
Outside any scope the default organization (the lowest id: a single-body install's
only one) applies, so a single-body install needs no setting. Raw ``text()`` SQL is not covered:
write queries with the ORM.

On PostgreSQL, row-level security is the second wall (migration ``0015_row_level_security``):
each owned table shows a connection only the rows of the organization named in the
transaction-local setting ``rongrian.organization_id`` (``platform`` for all), which the same
events keep equal to the current scope. A query that bypasses the ORM, or a transaction that never
set it, sees no rows when the app connects as a role that does not own the tables. While
``reading_organizations`` is in force the setting is empty and ``rongrian.organization_ids``
lists the bodies, which a read-only policy on the tables the roll-up reads accepts (migration
``0022_platform_accounts``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import Connection, event, func, select, text
from sqlalchemy.orm import (
    ORMExecuteState,
    Session,
    SessionTransaction,
    UOWTransaction,
    with_loader_criteria,
)

from app.database import AnySession
from app.models import OrganizationOwned
from app.organizations.models import Organization, owned_tables


class NoOrganizationInScope(RuntimeError):
    """A row of an organization was written while no single organization was current."""


class ReadOnlyScope(RuntimeError):
    """A write was attempted while reading several organizations (``reading_organizations``)."""


# The platform-wide scope: no filter.
PLATFORM = 0
# The PostgreSQL setting that row-level security policies read, and its platform-wide value.
DATABASE_SETTING = "rongrian.organization_id"
DATABASE_PLATFORM = "platform"
# The PostgreSQL setting the read-only policies read: a set of organization ids ('{3,5,8}').
DATABASE_READ_SETTING = "rongrian.organization_ids"
_SETTING_KEY = "rongrian_organization_setting"
_current: ContextVar[int | None] = ContextVar("current_organization_id", default=None)
_reading: ContextVar[tuple[int, ...] | None] = ContextVar("read_organization_ids", default=None)
# The default organization's id per database (organizations are suspended, never deleted).
_default_ids: dict[str, int] = {}


def set_current(organization_id: int) -> Any:
    """Make ``organization_id`` current (``PLATFORM`` for all); returns a token for ``reset``."""
    return _current.set(organization_id)


def reset(token: Any) -> None:
    """Restore the scope that ``set_current`` replaced."""
    _current.reset(token)


@contextmanager
def organization_scope(organization_id: int) -> Iterator[None]:
    """Run the block in organization ``organization_id`` (a CLI command, a worker step)."""
    token = set_current(organization_id)
    try:
        yield
    finally:
        reset(token)


@contextmanager
def platform_scope() -> Iterator[None]:
    """Run the block across every organization (claims of platform-wide workers)."""
    with organization_scope(PLATFORM):
        yield


@contextmanager
def crossing_into(session: AnySession, organization_id: int) -> Iterator[None]:
    """Work for another organization inside the current transaction (a hand-off between bodies).

    Only explicit services that must write a row of another body use it. What was added before
    is flushed first, under the current organization; what the block adds is flushed before it
    ends, so it is stamped with ``organization_id`` and, on PostgreSQL, checked by row-level
    security under that body's setting. The setting is per transaction, not per scope: it is
    switched to the other body for the block and back to the current one after it, so a raw
    query on either side of the block sees the right body's rows. The other body's rows are then
    detached from the session: ``session.get`` answers from the identity map without a query, so
    none of them may stay at hand in this body's scope (values read in the block remain).
    """
    session.flush()
    with organization_scope(organization_id):
        sync_database_setting(session)
        yield
        session.flush()
        for row in list(session.identity_map.values()):
            owned = isinstance(row, OrganizationOwned) and row.organization_id == organization_id
            if owned and row in session:  # not already detached along with its parent
                session.expunge(row)
    sync_database_setting(session)


@contextmanager
def reading_organizations(organization_ids: Iterable[int]) -> Iterator[None]:
    """Read the rows of ``organization_ids`` (and only theirs) in the block; refuse every write.

    The narrow path for figures across bodies (oversight's roll-up): every ORM SELECT gets
    ``organization_id IN (...)``, any INSERT, UPDATE, DELETE or flush of an owned row raises
    ``ReadOnlyScope``, and on PostgreSQL only the read-only policy's setting names the bodies.
    An empty set reads nothing.
    """
    token = _reading.set(tuple(sorted(set(organization_ids))))
    try:
        yield
    finally:
        _reading.reset(token)


def explicit_organization_id() -> int | None:
    """The organization set for this context, ``PLATFORM``, or None when nothing was set."""
    return _current.get()


def current_organization_id(session: AnySession) -> int | None:
    """The organization data is scoped to now: the one set, else the default; None = platform."""
    value = _current.get()
    if value == PLATFORM:
        return None
    return value if value is not None else default_organization_id(session)


def default_organization_id(session: AnySession) -> int:
    """The lowest organization id: the one of a single-body install. Cached per database."""
    connection = session.connection()
    key = connection.engine.url.render_as_string(hide_password=True)
    if key not in _default_ids:
        # A Core query on the connection: it does not pass through the ORM events below.
        found = connection.scalar(select(func.min(Organization.__table__.c.id)))
        if found is None:
            raise NoOrganizationInScope("no organization exists: run the migrations")
        _default_ids[key] = int(found)
    return _default_ids[key]


def sync_database_setting(session: AnySession) -> None:
    """On PostgreSQL, make the transaction's ``rongrian.organization_id`` the current scope.

    Set with ``set_config(..., true)``: it lasts until the transaction ends (and a rolled-back
    savepoint undoes it, hence forgotten at every ``after_begin``), so a pooled connection never
    carries one request's organization into another's.
    """
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return
    reading = _reading.get()
    if reading is not None:
        wanted = ("", "{" + ",".join(str(i) for i in reading) + "}")
    else:
        organization_id = current_organization_id(session)
        wanted = (DATABASE_PLATFORM if organization_id is None else str(organization_id), "")
    if connection.info.get(_SETTING_KEY) != wanted:
        connection.execute(
            text("SELECT set_config(:name, :value, true), set_config(:ids_name, :ids, true)"),
            {
                "name": DATABASE_SETTING,
                "value": wanted[0],
                "ids_name": DATABASE_READ_SETTING,
                "ids": wanted[1],
            },
        )
        connection.info[_SETTING_KEY] = wanted


@event.listens_for(Session, "after_begin")
def _forget_database_setting(
    _session: Session, _transaction: SessionTransaction, connection: Connection
) -> None:
    connection.info.pop(_SETTING_KEY, None)


def _scope_criteria(organization_id: int) -> Any:
    return with_loader_criteria(
        OrganizationOwned,
        lambda cls: cls.organization_id == organization_id,
        include_aliases=True,
    )


def _read_criteria(organization_ids: tuple[int, ...]) -> Any:
    return with_loader_criteria(
        OrganizationOwned,
        lambda cls: cls.organization_id.in_(organization_ids),
        include_aliases=True,
    )


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    """Add the current organization to every ORM statement that reads or changes owned rows."""
    sync_database_setting(state.session)
    if state.is_column_load or state.is_relationship_load:
        return  # the criteria travel with the parent's load
    if not (state.is_select or state.is_update or state.is_delete or state.is_insert):
        return
    reading = _reading.get()
    if reading is not None:
        if not state.is_select:
            raise ReadOnlyScope("only reads while reading several organizations")
        state.statement = state.statement.options(_read_criteria(reading))
        return
    organization_id = current_organization_id(state.session)
    if state.is_insert:
        _stamp_insert(state, organization_id)
    elif organization_id is not None:
        state.statement = state.statement.options(_scope_criteria(organization_id))


def _stamp_insert(state: ORMExecuteState, organization_id: int | None) -> None:
    """Name the current organization in an INSERT into an owned table (ORM entity or Core
    table, one row or many) that does not name one itself.

    Core inserts are stamped here too, as long as they run through ``session.execute``: that is
    the rule for every INSERT into an owned table (the LINE webhook's included), so this is the
    one place rows get their organization. Rows passed as parameters are stamped (the statement
    object is kept, so a cached statement stays cached); a statement carrying its own values is
    given one more.
    """
    statement: Any = state.statement
    table = getattr(statement, "table", None)
    if table is None or getattr(table, "name", None) not in owned_tables():
        return
    named = {getattr(key, "key", key) for key in (statement._values or {})}
    parameters: Any = state.parameters
    rows: list[Any] = (
        parameters if isinstance(parameters, list) else [parameters] if parameters else []
    )
    if "organization_id" in named or any("organization_id" in row for row in rows):
        return
    if organization_id is None:
        raise NoOrganizationInScope(f"insert into {table.name} names no organization")
    if rows:
        stamped = [{**row, "organization_id": organization_id} for row in rows]
        state.parameters = stamped if isinstance(parameters, list) else stamped[0]
    else:
        state.statement = statement.values(organization_id=organization_id)


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """Give each new owned row the current organization, unless it names one itself."""
    sync_database_setting(session)
    if _reading.get() is not None and any(
        isinstance(obj, OrganizationOwned)
        for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        raise ReadOnlyScope("owned rows changed while reading several organizations")
    pending = [
        obj
        for obj in session.new
        if isinstance(obj, OrganizationOwned) and getattr(obj, "organization_id", None) is None
    ]
    if not pending:
        return
    organization_id = current_organization_id(session)
    if organization_id is None:
        names = sorted({type(obj).__name__ for obj in pending})
        raise NoOrganizationInScope(f"new {', '.join(names)} name no organization")
    for obj in pending:
        obj.organization_id = organization_id
