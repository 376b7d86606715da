"""``flask seed --demo``'s province: three bodies with staff and cases, one case forwarded."""

from __future__ import annotations

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.organizations.demo import FIRST_BODY_HOSTS, FIRST_BODY_SLUG
from app.organizations.models import Organization
from app.organizations.scope import organization_scope, platform_scope
from app.organizations.services import organization_base_url
from cases.models import Case
from tests.app.test_isolation import _client


def _counts() -> dict[str, tuple[int, int]]:
    counts = {}
    for organization in db.session.scalars(select(Organization).order_by(Organization.id)):
        with organization_scope(organization.id):
            counts[organization.slug] = (
                db.session.scalar(select(func.count()).select_from(User)) or 0,
                db.session.scalar(select(func.count()).select_from(Case)) or 0,
            )
    return counts


def test_the_demo_seeds_a_small_province_once(app, runner):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0

    counts = _counts()
    assert list(counts) == [FIRST_BODY_SLUG, "nong-rawiang", "korat-pao"]
    assert all(users >= 2 and cases > 20 for users, cases in counts.values()), counts
    with platform_scope():
        forwarded = db.session.scalars(select(Case).where(Case.forwarded_to_case_id.is_not(None)))
        [case] = forwarded.all()
        there = db.session.get(Case, case.forwarded_to_case_id)
    assert there is not None and there.status == "accepted"
    bodies = {o.slug: o.id for o in db.session.scalars(select(Organization))}
    assert case.organization_id == bodies[FIRST_BODY_SLUG]
    assert there.organization_id == bodies["nong-rawiang"]
    first = db.session.scalar(select(Organization).where(Organization.slug == FIRST_BODY_SLUG))
    assert first is not None and tuple(first.host_names) == FIRST_BODY_HOSTS
    assert organization_base_url() == app.config["PUBLIC_BASE_URL"]  # the first body's links

    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    assert _counts() == counts


def test_each_demo_body_opens_on_the_local_address(app, runner):
    assert runner.invoke(args=["seed", "--demo"]).exit_code == 0
    local = _client(app, "127.0.0.1")
    assert "อบต.หนองระเวียง" in local.get("/o/nong-rawiang/").get_data(as_text=True)
    assert "อบจ.นครราชสีมา" in local.get("/o/korat-pao/").get_data(as_text=True)
    assert local.get("/").status_code == 200  # อบต.จอหอ, where it always was
    # The platform's own pages are on a host no body lists (browsers send *.localhost here).
    platform = _client(app, "platform.localhost")
    assert platform.get("/platform/login").status_code == 200
    assert local.get("/platform/login").status_code == 404
