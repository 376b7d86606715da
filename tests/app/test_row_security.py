"""PostgreSQL's row-level security, the second wall behind the ORM's scope.

These tests act as a plain role (``tests.row_security.become_app_role``): superusers and the
tables' owner bypass row-level security.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import ProgrammingError

from app.extensions import db
from app.migrate import target_metadata
from app.organizations.models import Organization, owned_tables
from app.organizations.scope import organization_scope, platform_scope
from app.organizations.services import create_organization, resolve_area
from cases.models import Case
from tests.factories import make_case, make_user
from tests.row_security import become_app_role, copy_case

pytestmark = pytest.mark.postgres_only


def _second_body() -> Organization:
    return create_organization(
        db.session, "rls-b", name_th="อบต.บี", area=resolve_area(None, None, ("300116",))
    )


def test_every_organizations_table_has_the_policy(app):
    target_metadata()  # every model imported
    tables = sorted(owned_tables())
    found = dict(
        db.session.execute(
            text(
                "SELECT c.relname, c.relrowsecurity FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = 'public' AND c.relname = ANY(:names)"
            ),
            {"names": tables},
        ).all()
    )
    assert len(tables) == 21  # report_measures (0016), case_publications, public_photos (0024),
    # case_subscribers (0025)
    assert found == dict.fromkeys(tables, True)
    policies = db.session.scalar(
        text("SELECT count(*) FROM pg_policies WHERE policyname = 'organization_isolation'")
    )
    assert policies == len(tables)


def test_every_policy_is_the_one_expression_of_migrations_rls(app):
    expressions = db.session.execute(
        text(
            "SELECT DISTINCT qual, with_check FROM pg_policies "
            "WHERE policyname = 'organization_isolation'"
        )
    ).all()
    assert len(expressions) == 1  # 0015's tables and 0016's report_measures alike
    ((using, check),) = expressions
    assert using == check and "rongrian.organization_id" in using


def test_a_query_that_forgot_its_scope_sees_no_rows(app):
    make_case()
    make_user()
    connection = db.session.connection()
    become_app_role(connection)
    connection.execute(text("SELECT set_config('rongrian.organization_id', '', true)"))
    for table in sorted(owned_tables()):
        count = connection.scalar(text(f"SELECT count(*) FROM {table}"))  # noqa: S608
        assert count == 0, table
    connection.execute(text("SELECT set_config('rongrian.organization_id', 'platform', true)"))
    assert connection.scalar(text("SELECT count(*) FROM cases")) == 1


def test_one_bodys_setting_shows_and_accepts_only_its_rows(app):
    b = _second_body()
    with organization_scope(b.id):
        make_case()
    make_case()
    first = db.session.scalar(select(func.min(Organization.id)))
    connection = db.session.connection()
    become_app_role(connection)
    connection.execute(
        text("SELECT set_config('rongrian.organization_id', :v, true)"), {"v": str(b.id)}
    )
    assert connection.scalar(text("SELECT count(*) FROM cases")) == 1
    assert connection.scalar(text("SELECT min(organization_id) FROM categories")) == b.id
    nested = connection.begin_nested()
    with pytest.raises(ProgrammingError, match="row-level security"):
        connection.execute(
            text(
                "INSERT INTO reply_templates (organization_id, title, body, sort_order, active, "
                "created_at) VALUES (:org, 't', 'b', 0, true, now())"
            ),
            {"org": first},
        )
    nested.rollback()


def test_the_app_works_as_a_role_under_the_policies(app, client):
    """The ORM's scope sets the database's: pages, intake and workers run as the app's role."""
    b = _second_body()
    with organization_scope(b.id):
        theirs, _ = make_case()
    db.session.commit()
    db.session.expunge_all()
    become_app_role(db.session.connection())
    case, _ = make_case()
    assert case.organization_id != b.id
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1
    with platform_scope():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 2
    assert db.session.get(Case, theirs.id) is None
    assert client.get("/").status_code == 200


def test_the_planner_expects_the_policy_to_keep_a_bodys_rows(app):
    """The policy is written so the planner does not take it for a filter that drops nearly every
    row (``migrations/rls.py``): a body's cases are estimated as many as there are."""
    first, _ = make_case()
    copy_case(first, 2999, "ไฟถนนดับ")
    # As on a platform of many bodies (rolled back with the test).
    db.session.execute(text("ALTER TABLE cases ALTER organization_id SET (n_distinct = 500)"))
    db.session.execute(text("ANALYZE cases"))
    connection = db.session.connection()
    become_app_role(connection)
    connection.execute(
        text("SELECT set_config('rongrian.organization_id', :v, true)"),
        {"v": str(first.organization_id)},
    )
    plan = connection.scalar(
        text("EXPLAIN (FORMAT JSON) SELECT id FROM cases WHERE organization_id = :o"),
        {"o": first.organization_id},
    )
    assert plan[0]["Plan"]["Plan Rows"] > 2000  # 3,000 cases; 0023's form expected 21
    assert connection.scalar(text("SELECT count(*) FROM cases")) == 3000
