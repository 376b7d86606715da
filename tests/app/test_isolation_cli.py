"""Isolation on the command line: each command that acts per body touches only the right one.

Body A is the installation's first organization, body B a second one, each with its own data.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.models import utcnow
from app.organizations.models import Organization
from app.organizations.scope import organization_scope, platform_scope
from app.organizations.services import create_organization, find_by_slug, resolve_area
from app.statuses import Status
from cases.models import Case
from integrity.models import IntegrityReport, Outcome
from tests.factories import make_case, make_user
from tests.integrity.conftest import make_report


@pytest.fixture
def body_b(app: Flask) -> Organization:
    """A second organization, with its default reference data."""
    return create_organization(
        db.session, "body-b", name_th="อบต.บี", area=resolve_area(None, None, ("300116",))
    )


def _first() -> Organization:
    first = db.session.scalar(select(Organization).order_by(Organization.id))
    assert first is not None
    return first


def _close_case(case: Case, days_ago: int) -> None:
    case.status = Status.CLOSED
    case.closed_at = utcnow() - timedelta(days=days_ago)


def _fresh_case(case_id: int) -> Case:
    db.session.expire_all()
    with platform_scope():
        case = db.session.get(Case, case_id)
    assert case is not None
    return case


def test_anonymise_applies_each_bodys_own_retention_to_its_own_cases(app, runner, body_b):
    retention = app.config["RETENTION_DAYS"]
    body_b.retention_days = retention + 100
    a_case, _ = make_case(contact_name="สมชายเอ")
    _close_case(a_case, retention + 1)
    with organization_scope(body_b.id):
        b_case, _ = make_case(contact_name="สมหญิงบี")
        _close_case(b_case, retention + 1)  # past A's period, within B's
    db.session.commit()

    first = runner.invoke(args=["cases", "anonymise"])
    assert first.exit_code == 0 and "anonymised 1 cases" in first.output
    assert _fresh_case(a_case.id).anonymised_at is not None
    assert _fresh_case(b_case.id).contact_name == "สมหญิงบี"

    with organization_scope(body_b.id):
        _close_case(_fresh_case(b_case.id), retention + 101)
    db.session.commit()
    second = runner.invoke(args=["cases", "anonymise"])
    assert "anonymised 1 cases" in second.output
    assert _fresh_case(b_case.id).anonymised_at is not None


def _close_report(report: IntegrityReport, days_ago: int) -> None:
    report.status = Status.CLOSED
    report.outcome = Outcome.UNFOUNDED
    report.closed_at = utcnow() - timedelta(days=days_ago)


def test_integrity_purge_reaches_each_bodys_expired_reports_once_and_nothing_else(
    app, runner, body_b
):
    app.config["INTEGRITY_RETENTION_DAYS"] = 30
    a_old, _ = make_report(with_evidence=True)
    _close_report(a_old, 31)
    with organization_scope(body_b.id):
        b_old, _ = make_report(with_evidence=True)
        _close_report(b_old, 31)
        b_recent, _ = make_report(with_evidence=True)
        _close_report(b_recent, 5)
        # Written in B's scope: an integrity value is encrypted under the key of the body in
        # scope when it is flushed.
        db.session.flush()
    ids = (a_old.id, b_old.id, b_recent.id)
    db.session.commit()

    result = runner.invoke(args=["integrity", "purge"])
    assert result.exit_code == 0 and "purged 2 reports and 2 files" in result.output
    db.session.expire_all()
    with platform_scope():  # columns only: a body's values decrypt only in its own scope
        rows = db.session.execute(
            select(IntegrityReport.id, IntegrityReport.purged_at).where(IntegrityReport.id.in_(ids))
        )
        purged = {report_id: purged_at is not None for report_id, purged_at in rows}
    assert purged == dict(zip(ids, (True, True, False), strict=True))
    again = runner.invoke(args=["integrity", "purge"])
    assert "purged 0 reports and 0 files" in again.output


def _users_named(email: str) -> list[tuple[int, set[str]]]:
    db.session.expire_all()
    with platform_scope():
        users = db.session.scalars(select(User).where(User.email == email).order_by(User.id))
        return [(u.organization_id, set(u.roles)) for u in users]


def test_users_create_with_org_makes_the_account_in_that_body_only(app, runner, body_b):
    args = ["users", "create", "--email", "same@example.com", "--role", "officer"]
    args += ["--department", "works", "--password", "a-long-password-9"]
    made_b = runner.invoke(args=[*args, "--org", "body-b"])
    assert made_b.exit_code == 0, made_b.output
    assert _users_named("same@example.com") == [(body_b.id, {Role.OFFICER})]
    made_a = runner.invoke(args=args)  # no --org: the installation's first body
    assert made_a.exit_code == 0, made_a.output
    assert sorted(_users_named("same@example.com")) == sorted(
        [(body_b.id, {Role.OFFICER}), (_first().id, {Role.OFFICER})]
    )
    unknown = runner.invoke(args=[*args, "--org", "nobody"])
    assert unknown.exit_code != 0 and "no organization nobody" in unknown.output


def test_grant_and_revoke_integrity_act_on_the_named_body_only(app, runner, body_b):
    make_user(email="same@example.com")
    with organization_scope(body_b.id):
        make_user(email="same@example.com")
    a_id = _first().id

    unnamed = runner.invoke(args=["users", "grant-integrity", "same@example.com"])
    assert unnamed.exit_code == 2 and "--org" in unnamed.output
    assert all(Role.INTEGRITY not in roles for _, roles in _users_named("same@example.com"))

    granted = runner.invoke(
        args=["users", "grant-integrity", "same@example.com", "--org", "body-b"]
    )
    assert granted.exit_code == 0, granted.output
    assert dict(_users_named("same@example.com")) == {
        a_id: {Role.OFFICER},
        body_b.id: {Role.OFFICER, Role.INTEGRITY},
    }
    not_in_a = runner.invoke(
        args=["users", "revoke-integrity", "same@example.com", "--org", "default"]
    )
    assert not_in_a.exit_code == 0 and "nothing to change" in not_in_a.output
    revoked = runner.invoke(
        args=["users", "revoke-integrity", "same@example.com", "--org", "body-b"]
    )
    assert revoked.exit_code == 0, revoked.output
    assert all(roles == {Role.OFFICER} for _, roles in _users_named("same@example.com"))


def test_an_account_only_in_another_body_is_not_found_there(app, runner, body_b):
    with organization_scope(body_b.id):
        make_user(email="only-b@example.com")
    result = runner.invoke(
        args=["users", "grant-integrity", "only-b@example.com", "--org", _first().slug]
    )
    assert result.exit_code != 0 and "ไม่พบบัญชี" in result.output
    assert _users_named("only-b@example.com")[0][1] == {Role.OFFICER}


def test_orgs_update_changes_only_the_named_body(app, runner, body_b):
    first = _first()
    before = (first.name_th, first.phone, first.retention_days)
    result = runner.invoke(
        args=["orgs", "update", "body-b", "--phone", "044-111-222", "--retention-days", "400"]
    )
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    b = find_by_slug(db.session, "body-b")
    assert b is not None and (b.phone, b.retention_days) == ("044-111-222", 400)
    first = _first()
    assert (first.name_th, first.phone, first.retention_days) == before
    listing = runner.invoke(args=["orgs", "list"])
    assert "body-b" in listing.output and first.slug in listing.output
