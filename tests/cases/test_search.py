"""The queue's search of a body's cases (``cases.search``): its own body only, and on PostgreSQL
answered from the trigram indexes as the app's role, under row-level security."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import organization_scope
from app.organizations.services import create_organization, resolve_area
from app.queue import text_search
from cases.models import CASE_SEARCH_COLUMNS, Case
from cases.search import matching_cases
from tests.factories import make_case
from tests.row_security import become_app_role, copy_case


def _second_body() -> Organization:
    return create_organization(
        db.session, "search-b", name_th="อบต.ค้นหา", area=resolve_area(None, None, ("300116",))
    )


def _found(term: str) -> set[int]:
    condition = matching_cases(db.session, term)
    assert condition is not None
    return set(db.session.scalars(select(Case.id).where(condition)))


def _plan(condition: object) -> str:
    stmt = select(Case.id).where(condition)  # type: ignore[arg-type]
    compiled = stmt.compile(db.session.get_bind(), compile_kwargs={"render_postcompile": True})
    rows = db.session.connection().exec_driver_sql(f"EXPLAIN {compiled}", compiled.params)
    return "\n".join(row[0] for row in rows)


def test_blank_or_wordless_terms_search_nothing(app):
    assert matching_cases(db.session, "") is None
    assert matching_cases(db.session, "   ") is None


def test_search_finds_every_word_in_its_own_body_only(app):
    b = _second_body()
    ours, _ = make_case(subject="ท่อประปาแตก", details="หน้าวัดบ้านจอหอ")
    other, _ = make_case(subject="ไฟถนนดับ", details="หน้าวัดบ้านจอหอ")
    with organization_scope(b.id):
        theirs, _ = make_case(subject="ท่อประปาแตก", details="หน้าวัดบ้านจอหอ")
        assert _found("ประปา") == {theirs.id}
    assert _found("ประปา") == {ours.id}
    assert _found("ประปา วัดบ้านจอหอ") == {ours.id}
    assert _found("วัดบ้านจอหอ") == {ours.id, other.id}
    assert _found(ours.code) == {ours.id}
    assert _found("ไม่มีเรื่องนี้แน่นอน") == set()


@pytest.mark.postgres_only
def test_as_the_apps_role_the_search_uses_the_trigram_indexes(app):
    """Under row-level security ``ILIKE`` on ``cases`` cannot use them; through the view it can."""
    rare, _ = make_case(subject="ท่อประปาแตก", details="น้ำไหลนองถนนทั้งวัน")
    copy_case(rare, 3000, "ไฟถนนดับ")
    for column in CASE_SEARCH_COLUMNS:  # as autovacuum would: the new rows out of the GIN queue
        db.session.execute(text(f"SELECT gin_clean_pending_list('ix_cases_{column}_trgm')"))
    db.session.execute(text("ANALYZE cases"))
    become_app_role(db.session.connection())
    # Three thousand rows are still read faster than three GIN indexes: take the scan away.
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    columns = [getattr(Case, name) for name in CASE_SEARCH_COLUMNS]
    assert "_trgm" not in _plan(text_search("ประปา", *columns))  # what the policy forbids
    plan = _plan(matching_cases(db.session, "ประปา"))
    for column in CASE_SEARCH_COLUMNS:
        assert f"Bitmap Index Scan on ix_cases_{column}_trgm" in plan, plan
    assert _found("ประปา") == {rare.id}
    assert len(_found("ไฟ")) == 3000


@pytest.mark.postgres_only
def test_as_the_apps_role_the_view_keeps_to_the_transactions_body(app):
    b = _second_body()
    with organization_scope(b.id):
        theirs, _ = make_case(subject="ท่อประปาแตก")
    ours, _ = make_case(subject="ท่อประปาแตก")
    db.session.commit()
    connection = db.session.connection()
    become_app_role(connection)
    with organization_scope(b.id):
        assert _found("ประปา") == {theirs.id}
    assert _found("ประปา") == {ours.id}
    # A query that forgot its scope (no setting) finds nothing through the view, like the table.
    connection.execute(text("SELECT set_config('rongrian.organization_id', '', true)"))
    assert connection.scalar(text("SELECT count(*) FROM case_search")) == 0
    connection.execute(
        text("SELECT set_config('rongrian.organization_id', :v, true)"), {"v": str(b.id)}
    )
    assert list(connection.scalars(text("SELECT id FROM case_search"))) == [theirs.id]
    # Writes through the view keep to the body too (WITH CHECK OPTION, as the policy's check).
    changed = connection.execute(
        text("UPDATE case_search SET subject = 'x' WHERE id = :id"), {"id": ours.id}
    )
    assert changed.rowcount == 0
