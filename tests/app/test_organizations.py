"""Organizations: the CLI, the defaults a new body starts with, the scope of queries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from app.auth.models import User
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import NoOrganizationInScope, organization_scope, platform_scope
from app.organizations.services import OrganizationError, resolve_area
from cases.models import Case, Category
from review.models import ReplyTemplate
from tests.factories import make_case


def _org(slug: str) -> Organization:
    found = db.session.scalar(select(Organization).where(Organization.slug == slug))
    assert found is not None
    return found


def test_upgrade_made_one_organization_that_follows_the_settings(app):
    (only,) = db.session.scalars(select(Organization)).all()
    assert only.slug == "default" and only.name_th == ""
    assert app.test_client().get("/").get_data(as_text=True).count(app.config["ORG_NAME"]) >= 1


def test_orgs_create_list_update_and_users_create_with_org(app, runner):
    result = runner.invoke(
        args=[
            "orgs",
            "create",
            "jorhor",
            "--name-th",
            "อบต.จอหอ",
            "--type",
            "sao",
            "--subdistrict",
            "300116",
            "--host",
            "JorHor.Example",
            "--phone",
            "044-111-222",
        ]
    )
    assert result.exit_code == 0, result.output
    org = _org("jorhor")
    assert (org.province_code, org.district_code, org.subdistrict_codes) == (
        "30",
        "3001",
        ["300116"],
    )
    assert org.host_names == ["jorhor.example"]
    with organization_scope(org.id):
        assert db.session.scalar(select(func.count()).select_from(Category)) == 12
        assert db.session.scalar(select(func.count()).select_from(ReplyTemplate)) >= 1
    listing = runner.invoke(args=["orgs", "list"]).output
    assert "jorhor\tactive\tsao\t300116\tjorhor.example\tอบต.จอหอ" in listing
    assert runner.invoke(args=["orgs", "update", "jorhor", "--suspend"]).exit_code == 0
    assert _org("jorhor").active is False
    created = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@jorhor.example",
            "--role",
            "admin",
            "--org",
            "jorhor",
            "--password",
            "correct horse battery",
        ]
    )
    assert created.exit_code == 0, created.output
    with platform_scope():
        user = db.session.scalar(select(User).where(User.email == "a@jorhor.example"))
    assert user is not None and user.organization_id == org.id


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--subdistrict", "999999"], "ไม่พบรหัสตำบล"),
        (["--district", "3001", "--subdistrict", "310101"], "ไม่ได้อยู่ในอำเภอ"),
        (["--province", "99"], "ไม่พบรหัสจังหวัด"),
    ],
)
def test_orgs_create_refuses_unknown_or_inconsistent_areas(runner, args, message):
    result = runner.invoke(args=["orgs", "create", "nowhere", "--name-th", "x", *args])
    assert result.exit_code != 0 and message in result.output


def test_orgs_create_refuses_a_taken_slug_and_an_unknown_org_for_users(runner):
    assert (
        "มีหน่วยงาน default อยู่แล้ว"
        in runner.invoke(args=["orgs", "create", "default", "--name-th", "x"]).output
    )
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@example.com",
            "--role",
            "admin",
            "--org",
            "nobody",
            "--password",
            "correct horse battery",
        ]
    )
    assert result.exit_code != 0 and "no organization nobody" in result.output


def test_rows_are_stamped_and_queries_scoped_to_the_current_organization(app, runner):
    runner.invoke(args=["orgs", "create", "other", "--name-th", "อื่น", "--subdistrict", "300116"])
    other = _org("other")
    with organization_scope(other.id):
        case, _ = make_case()
        assert case.organization_id == other.id
        assert case.code.endswith("-000001")  # codes count per body
    assert db.session.get(Case, case.id) is case  # the identity map: see test_isolation
    db.session.expunge_all()
    assert db.session.get(Case, case.id) is None
    assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    with platform_scope():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1
        with pytest.raises(NoOrganizationInScope):
            make_case()
    db.session.rollback()


def test_core_inserts_through_the_session_are_stamped_like_orm_rows(app, runner):
    runner.invoke(args=["orgs", "create", "other", "--name-th", "อื่น", "--subdistrict", "300116"])
    other = _org("other")
    table = ReplyTemplate.__table__
    row = {"title": "t", "body": "b", "sort_order": 0, "active": True}
    with organization_scope(other.id):
        db.session.execute(insert(table), {**row, "title": "one row"})
        db.session.execute(insert(table), [{**row, "title": f"many {n}"} for n in range(3)])
        db.session.execute(insert(table).values({**row, "title": "own values"}))
        mine = {t.title: t.organization_id for t in db.session.scalars(select(ReplyTemplate))}
    assert {title: mine[title] for title in ("one row", "many 0", "many 2", "own values")} == {
        "one row": other.id,
        "many 0": other.id,
        "many 2": other.id,
        "own values": other.id,
    }
    with platform_scope(), pytest.raises(NoOrganizationInScope):
        db.session.execute(insert(table), row)
    db.session.rollback()


def test_resolve_area_takes_province_and_district_from_subdistricts():
    area = resolve_area(None, None, ("300116", "300101"))
    assert (area.province_code, area.district_code) == ("30", "3001")
    assert resolve_area("30", None, ()).district_code is None
    with pytest.raises(OrganizationError):
        resolve_area("31", None, ("300116",))


def _statements_while(run) -> list[str]:  # type: ignore[no-untyped-def]
    """The SQL sent to the database while ``run()`` runs."""
    from sqlalchemy import event

    seen: list[str] = []
    engine = db.session.get_bind()

    def capture(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen


def test_report_and_statistics_queries_are_scoped_in_every_subquery(app):
    """Every statement that reads cases (subqueries and CTEs included) names the organization as
    often as it names the table: the scope reaches the reports' grouped SQL too."""
    import re
    from datetime import date

    from reports.periods import Period
    from reports.statistics import statistics_tables
    from reports.summary import compute_summary

    make_case()
    categories = list(db.session.scalars(select(Category)))
    statements = _statements_while(
        lambda: (
            compute_summary(db.session, Period(date(2026, 10, 1), date(2027, 3, 31)), date.today()),
            statistics_tables(db.session, [2569, 2570], 3, categories),
        )
    )
    reading_cases = [s for s in statements if re.search(r"\b(FROM|JOIN) cases\b", s)]
    assert reading_cases
    for statement in reading_cases:
        uses = len(re.findall(r"\b(?:FROM|JOIN) cases\b", statement))
        assert statement.count("organization_id") >= uses, statement
