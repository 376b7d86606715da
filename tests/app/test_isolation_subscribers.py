"""Support, following and unfollowing stay inside one body: body A's residents never support or
follow body B's cases, and B's unfollow links do not open on A's site. (B's cases are never
suggested on A's forms either: suggestions are of the draft's category, and categories are each
body's own.)"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import organization_scope, platform_scope
from cases.messages import unfollow_token
from cases.models import CaseSubscriber
from cases.subscribers import SubscriberDetails, follow_case
from tests.app.test_isolation import _client, body_b  # noqa: F401 (the fixture)
from tests.factories import THAI_DETAILS, THAI_SUBJECT, category_id


def _b_id() -> int:
    b = db.session.scalar(select(Organization.id).where(Organization.slug == "body-b"))
    assert b is not None
    return b


def _form(**overrides: str) -> dict[str, str]:
    with organization_scope(_first_id()):
        roads = str(category_id("roads"))
    data = {
        "kind": "complaint",
        "category_id": roads,
        "subject": THAI_SUBJECT,
        "details": THAI_DETAILS,
        "contact_email": "a-resident@example.com",
        "privacy_acknowledged": "y",
    }
    data.update(overrides)
    return data


def _first_id() -> int:
    first = db.session.scalar(select(Organization.id).order_by(Organization.id))
    assert first is not None
    return first


def _subscribers() -> int:
    with platform_scope():
        return db.session.scalar(select(func.count(CaseSubscriber.id))) or 0


def test_supporting_or_following_body_bs_case_from_a_finds_nothing(app, body_b):  # noqa: F811 (the fixture)
    a = _client(app, "a.example")
    form = _form(duplicates_shown="1", support_code=body_b.case_code)
    page = a.post("/complaints/new", data=form).get_data(as_text=True)
    assert "ปิดไปแล้ว" in page
    follow = a.post(
        f"/cases/{body_b.case_code}/follow",
        data={"contact_email": "a@example.com", "privacy_acknowledged": "y"},
    )
    assert follow.status_code == 404
    assert _subscribers() == 0


def test_body_bs_unfollow_link_opens_only_on_bs_site(app, body_b):  # noqa: F811 (the fixture)
    with organization_scope(_b_id()):
        row = follow_case(
            body_b.case_code,
            SubscriberDetails(contact_email="b-follower@example.com", privacy_acknowledged=True),
        )
        path = f"/follow/stop/{row.id}/{unfollow_token(row.id)}"
    db.session.expunge_all()
    assert _client(app, "a.example").get(path).status_code == 404
    assert _client(app, "a.example").post(path).status_code == 404
    assert _client(app, "b.example").get(path).status_code == 200
