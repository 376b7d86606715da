"""The one mechanism that scopes data to an organization.

Each request, CLI command and worker step runs "in" one organization (a context variable, so
threads and requests never share it). While it does:

- every ORM SELECT, UPDATE and DELETE is given ``organization_id = <current>`` for each
  ``OrganizationOwned`` entity it touches, in joins, subqueries and relationship loads too
  (SQLAlchemy's documented global-filter recipe: ``do_orm_execute`` + ``with_loader_criteria``);
- every new ``OrganizationOwned`` row is stamped with it when flushed, and so is every ORM
  ``insert(Model)`` statement that does not name one.

Code that must see every organization (a worker claiming the outbox across bodies, the platform's
own pages) says so with ``platform_scope()``; it cannot write owned rows without naming their
organization. Outside any scope the default organization (the lowest id: a single-body install's
only one) applies, so a single-body install needs no setting. Raw ``text()`` SQL is not covered:
write queries with the ORM (PostgreSQL's row-level security is the second wall).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, with_loader_criteria

from app.database import AnySession
from app.models import OrganizationOwned
from app.organizations.models import Organization


class NoOrganizationInScope(RuntimeError):
    """A row of an organization was written while no single organization was current."""


# The platform-wide scope: no filter.
PLATFORM = 0
_current: ContextVar[int | None] = ContextVar("current_organization_id", default=None)
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


def _scope_criteria(organization_id: int) -> Any:
    return with_loader_criteria(
        OrganizationOwned,
        lambda cls: cls.organization_id == organization_id,
        include_aliases=True,
    )


@event.listens_for(Session, "do_orm_execute")
def _scope_statement(state: ORMExecuteState) -> None:
    """Add the current organization to every ORM statement that reads or changes owned rows."""
    if state.is_column_load or state.is_relationship_load:
        return  # the criteria travel with the parent's load
    if not (state.is_select or state.is_update or state.is_delete or state.is_insert):
        return
    organization_id = current_organization_id(state.session)
    if state.is_insert:
        _stamp_insert(state, organization_id)
    elif organization_id is not None:
        state.statement = state.statement.options(_scope_criteria(organization_id))


def _stamp_insert(state: ORMExecuteState, organization_id: int | None) -> None:
    mapper = state.bind_mapper
    if mapper is None or not issubclass(mapper.class_, OrganizationOwned):
        return
    statement: Any = state.statement
    named = {getattr(key, "key", key) for key in (statement._values or {})}
    if "organization_id" in named:
        return
    if organization_id is None:
        raise NoOrganizationInScope(f"insert into {mapper.class_.__name__} names no organization")
    state.statement = statement.values(organization_id=organization_id)


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    """Give each new owned row the current organization, unless it names one itself."""
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
