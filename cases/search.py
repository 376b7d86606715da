"""Searching a body's cases by words: the queue's search, fast in a large body under RLS.

Each word must appear in the code, subject or details (``app.queue.text_search``). On PostgreSQL
the words are looked for in the view ``case_search`` (migration 0026), not in ``cases`` itself:
as the app's role, row-level security keeps the planner from using the trigram indexes for
``ILIKE`` on ``cases``, while the view, which applies the same organization condition itself,
lets it. SQLite has no row-level security and no view: the words are looked for in ``cases``.
"""

from __future__ import annotations

from sqlalchemy import Column, ColumnElement, Integer, MetaData, Table, Text, select

from app.database import AnySession
from app.organizations.scope import current_organization_id
from app.queue import text_search
from cases.models import CASE_SEARCH_COLUMNS, Case

# The view as SQLAlchemy sees it: kept out of the models' metadata, since it is not a table
# the models declare (the migrations make it, on PostgreSQL only).
CASE_SEARCH_VIEW = Table(
    "case_search",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("organization_id", Integer),
    *(Column(name, Text) for name in CASE_SEARCH_COLUMNS),
)


def matching_cases(session: AnySession, term: str) -> ColumnElement[bool] | None:
    """A condition on ``Case``: every word of ``term`` appears in one of its searched columns.

    ``None`` when ``term`` has no word. On PostgreSQL it reads the current organization's rows of
    ``case_search`` (under a platform scope it matches nothing: the queue is one body's).
    """
    if session.get_bind().dialect.name != "postgresql":
        return text_search(term, *(getattr(Case, name) for name in CASE_SEARCH_COLUMNS))
    view = CASE_SEARCH_VIEW.c
    words = text_search(term, *(view[name] for name in CASE_SEARCH_COLUMNS))
    if words is None:
        return None
    # The view already keeps to the organization of the transaction's setting; naming it again
    # lets the planner see how many cases the body has (one of the largest, or a handful).
    found = select(view.id).where(view.organization_id == current_organization_id(session), words)
    return Case.id.in_(found)
