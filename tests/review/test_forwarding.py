"""Forwarding a case to another body on the platform: the receiving body's own case, both
timelines and audit logs, the resident's original link, isolation, refusals, and PostgreSQL's
row-level security under the app's own role.

Body A is the installation's first organization (host ``a.example``), body B a neighbour in the
same อำเภอ (host ``b.example``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from app import uploads
from app.audit import AuditEntry
from app.auth.models import User
from app.deadlines import due_after
from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import organization_scope, platform_scope
from app.organizations.services import (
    create_organization,
    other_active_bodies,
    resolve_area,
    update_organization,
)
from app.outbox import Notification
from app.statuses import Status
from cases.models import Case, CaseEvent, EventType
from review import services
from review.errors import CaseNotVisible
from tests.app.test_isolation import _client
from tests.factories import make_case, make_user, sign_in
from tests.row_security import become_app_role

JOHO = "300116"  # ตำบลจอหอ, อำเภอเมืองนครราชสีมา
NONG_RAWIANG = "300106"  # ตำบลหนองระเวียง, the same อำเภอ


@dataclass
class Bodies:
    """The two bodies, a signed-in officer of A and an officer of B."""

    a: Organization
    b: Organization
    a_officer: FlaskClient
    b_officer: User


@pytest.fixture
def bodies(app: Flask) -> Bodies:
    a = db.session.scalar(select(Organization).order_by(Organization.id))
    assert a is not None
    update_organization(
        db.session,
        a,
        name_th="อบต.จอหอ",
        area=resolve_area(None, None, (JOHO,)),
        hosts=("a.example",),
    )
    b = create_organization(
        db.session,
        "nong-rawiang",
        name_th="อบต.หนองระเวียง",
        area=resolve_area(None, None, (NONG_RAWIANG,)),
        hosts=("b.example",),
    )
    with organization_scope(b.id):
        b_officer = make_user(roles=("officer",), email="b-officer@example.com")
    client = _client(app, "a.example")
    sign_in(client, make_user(roles=("officer",)))
    return Bodies(a, b, client, b_officer)


def _forward(bodies: Bodies, case: Case, organization_id: int, version: int | None = None):
    return bodies.a_officer.post(
        f"/staff/cases/{case.id}/forward-body",
        data={
            "organization_id": organization_id,
            "version": case.version if version is None else version,
            "reason": "คลองอยู่ในเขต อบต.หนองระเวียง",
        },
    )


def _received_there(bodies: Bodies) -> Case:
    with organization_scope(bodies.b.id):
        there = db.session.scalar(
            select(Case).where(Case.forwarded_from_organization_id.is_not(None))
        )
    assert there is not None
    return there


REPLY, NOTE = "ช่างจะเข้าขุดลอกคลองพรุ่งนี้", "บันทึกภายในของหนองระเวียง"


def _forwarded_and_worked_on(bodies: Bodies, case: Case) -> Case:
    """Forward ``case`` to B, where it is started, answered and noted; return B's case."""
    _forward(bodies, case, bodies.b.id)
    there = _received_there(bodies)
    with organization_scope(bodies.b.id):
        services.change_status(bodies.b_officer, there, "start", there.version)
        services.reply(bodies.b_officer, there, REPLY, there.version)
        services.add_note(bodies.b_officer, there, NOTE, there.version)
    db.session.expunge_all()
    return there


def _actions(organization_id: int, case_id: int) -> list[str]:
    with organization_scope(organization_id):
        return list(
            db.session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.target_type == "case", AuditEntry.target_id == str(case_id))
                .order_by(AuditEntry.id)
            )
        )


def test_the_receiving_body_gets_its_own_case_with_the_residents_contact_and_files(app, bodies):
    case, _ = make_case(with_attachment=True, contact_email="resident@example.com")
    db.session.expunge_all()

    response = _forward(bodies, case, bodies.b.id)

    assert response.status_code == 302
    db.session.expunge_all()
    here = db.session.get(Case, case.id)
    there = _received_there(bodies)
    assert here is not None
    assert here.status == Status.FORWARDED
    assert (here.forwarded_to_organization_id, here.forwarded_to_case_id) == (bodies.b.id, there.id)
    # Its own body, code, category, dates; the resident's contact and a file of its own.
    assert there.organization_id == bodies.b.id
    assert there.forwarded_from_organization_id == bodies.a.id
    assert there.status == Status.RECEIVED and there.sequence == 1  # its own tracking code
    with organization_scope(bodies.b.id):
        assert there.category.organization_id == bodies.b.id and there.category.code == "roads"
        assert there.answer_due == due_after(there.received_at, there.category.answer_days)
        assert there.acknowledge_due == due_after(
            there.received_at, there.category.acknowledge_days
        )
        assert (there.contact_name, there.contact_phone, there.contact_email) == (
            here.contact_name,
            here.contact_phone,
            "resident@example.com",
        )
        [copy] = there.attachments
        [original] = here.attachments
        assert copy.stored_name != original.stored_name and copy.sha256 == original.sha256
        assert uploads.file_path(app.config["UPLOAD_DIR"], copy.stored_name).exists()
        [received] = [e for e in there.events if e.type == EventType.RECEIVED]
        assert received.is_public and here.code in received.body and "อบต.จอหอ" in received.body
    # Both timelines and both audit logs record the hand-off.
    [moved] = [e for e in here.events if e.to_status == Status.FORWARDED]
    assert moved.is_public and "อบต.หนองระเวียง" in moved.body
    assert _actions(bodies.a.id, here.id)[-2:] == ["case_status_changed", "case_forwarded"]
    assert _actions(bodies.b.id, there.id) == ["case_received_forwarded"]


def test_the_resident_hears_of_the_hand_off_once_and_of_each_update_there_once(app, bodies):
    case, _ = make_case(contact_email="resident@example.com")
    _forward(bodies, case, bodies.b.id)
    there = _received_there(bodies)
    with organization_scope(bodies.b.id):
        services.reply(bodies.b_officer, there, "ขุดลอกคลองแล้ว", there.version)

    with platform_scope():
        sent = db.session.execute(
            select(Notification.organization_id, Notification.template).where(
                Notification.recipient == "resident@example.com"
            )
        ).all()
        told = db.session.execute(
            select(Notification.organization_id, Notification.template).where(
                Notification.recipient == "b-officer@example.com"
            )
        ).all()
    a, b = bodies.a.id, bodies.b.id
    assert sorted(sent) == sorted(
        [(a, "case_received"), (a, "case_status_changed"), (b, "case_reply")]
    )
    assert told == [(b, "officer_new_case")]


def test_nothing_of_the_receiving_body_stays_at_hand_in_the_sending_bodys_session(app, bodies):
    case, _ = make_case()

    there = services.forward_to_body(make_user(), case, bodies.b.id, "", case.version)

    assert db.session.get(Case, there.id) is None  # not from the identity map either
    with organization_scope(bodies.b.id):
        assert db.session.get(Case, there.id) is not None


def test_the_residents_original_link_shows_the_receiving_bodys_progress(app, bodies):
    case, result = make_case()
    _forwarded_and_worked_on(bodies, case)

    resident = _client(app, "a.example")
    page = resident.get(f"/track/{result.code}/{result.token}", follow_redirects=True)

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="forwarded-notice"' in html and "อบต.หนองระเวียง" in html
    assert REPLY in html
    assert 'id="forwarded-status">อยู่ระหว่างดำเนินการ<' in html
    assert NOTE not in html


def test_the_original_link_follows_an_onward_hand_off(app, bodies):
    case, result = make_case()
    there = _forwarded_and_worked_on(bodies, case)
    province = create_organization(
        db.session,
        "korat-pao",
        name_th="อบจ.นครราชสีมา",
        type_="pao",
        area=resolve_area("30", None, ()),
    )
    with organization_scope(bodies.b.id):
        there = db.session.get(Case, there.id)
        assert there is not None
        services.forward_to_body(bodies.b_officer, there, province.id, "ถนนของ อบจ.", there.version)
    db.session.expunge_all()

    page = _client(app, "a.example").get(
        f"/track/{result.code}/{result.token}", follow_redirects=True
    )

    html = page.get_data(as_text=True)
    assert "ส่งต่อไปยัง อบจ.นครราชสีมา" in html
    assert 'id="forwarded-status">รับเรื่องแล้ว รอตรวจสอบ<' in html
    assert "รับเรื่องส่งต่อจาก อบต.หนองระเวียง" in html


def test_the_sending_body_sees_only_the_status_there(app, bodies):
    case, _ = make_case()
    _forwarded_and_worked_on(bodies, case)

    page = bodies.a_officer.get(f"/staff/cases/{case.id}").get_data(as_text=True)

    assert 'id="forwarded-to"' in page and "อบต.หนองระเวียง" in page
    assert 'id="forwarded-status"' in page
    assert 'id="forwarded-status">อยู่ระหว่างดำเนินการ<' in page
    assert NOTE not in page and REPLY not in page


def test_each_body_reaches_only_its_own_side(app, bodies):
    case, _ = make_case(subject="เรื่องอื่นของจอหอที่ไม่ได้ส่งต่อ")
    forwarded, _ = make_case(subject="คลองตื้นเขินหมู่ 9")
    _forward(bodies, forwarded, bodies.b.id)
    there = _received_there(bodies)
    db.session.expunge_all()
    b_client = _client(app, "b.example")
    sign_in(b_client, bodies.b_officer)

    queue = b_client.get("/staff/cases?tab=all").get_data(as_text=True)

    assert there.code in queue and "คลองตื้นเขินหมู่ 9" in queue
    assert "เรื่องอื่นของจอหอ" not in queue
    assert b_client.get(f"/staff/cases/{there.id}").status_code == 200
    assert b_client.get(f"/staff/cases/{forwarded.id}").status_code == 404
    assert b_client.get(f"/staff/cases/{case.id}").status_code == 404
    assert bodies.a_officer.get(f"/staff/cases/{there.id}").status_code == 404


def test_a_body_cannot_forward_to_itself_or_to_a_suspended_body(app, bodies):
    case, _ = make_case()
    update_organization(db.session, bodies.b, active=False)

    to_itself = _forward(bodies, case, bodies.a.id)
    to_suspended = _forward(bodies, case, bodies.b.id)

    assert to_itself.status_code == 422
    assert "ส่งต่อให้หน่วยงานของท่านเองไม่ได้" in to_itself.get_data(as_text=True)
    assert to_suspended.status_code == 422
    assert "เปิดให้บริการอยู่" in to_suspended.get_data(as_text=True)
    assert db.session.get(Case, case.id).status == Status.RECEIVED  # type: ignore[union-attr]
    with platform_scope():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1


def test_a_stale_page_cannot_forward(app, bodies):
    case, _ = make_case()
    seen = case.version
    services.add_note(make_user(roles=("officer",)), case, "โทรคุยกับผู้ร้องแล้ว", seen)

    response = _forward(bodies, case, bodies.b.id, version=seen)

    assert response.status_code == 409
    with platform_scope():
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1


def test_officers_choose_among_active_bodies_nearest_first(app, bodies):
    elsewhere = create_organization(
        db.session, "far-away", name_th="อบต.ไกล", area=resolve_area(None, None, ("100101",))
    )
    province = create_organization(
        db.session,
        "korat-pao",
        name_th="อบจ.นครราชสีมา",
        type_="pao",
        area=resolve_area("30", None, ()),
    )
    create_organization(
        db.session, "closed", name_th="อบต.ปิด", area=resolve_area(None, None, (JOHO,)), active=False
    )

    chosen = other_active_bodies(db.session, bodies.a)

    assert [o.id for o in chosen] == [bodies.b.id, province.id, elsewhere.id]
    page = bodies.a_officer.get(f"/staff/cases/{make_case()[0].id}").get_data(as_text=True)
    assert page.index("อบต.หนองระเวียง") < page.index("อบจ.นครราชสีมา") < page.index("อบต.ไกล")
    assert "อบต.ปิด" not in page


def test_forwarding_needs_the_same_rights_as_forwarding_to_an_agency(app, bodies):
    case, _ = make_case()
    executive = _client(app, "a.example")
    sign_in(executive, make_user(roles=("executive",)))
    other_department = make_user(roles=("officer",), departments=("office",))

    refused = executive.post(
        f"/staff/cases/{case.id}/forward-body",
        data={"organization_id": bodies.b.id, "version": case.version},
    )

    assert refused.status_code == 403
    with pytest.raises(CaseNotVisible):
        services.forward_to_body(other_department, case, bodies.b.id, "", case.version)
    assert case.status == Status.RECEIVED


@pytest.mark.postgres_only
def test_forwarding_works_as_the_apps_role_under_row_level_security(app, bodies):
    case, result = make_case(with_attachment=True)
    officer = make_user(roles=("officer",))
    db.session.commit()
    db.session.expunge_all()
    become_app_role(db.session.connection())
    case = db.session.get(Case, case.id)
    assert case is not None

    there = services.forward_to_body(officer, case, bodies.b.id, "", case.version)

    assert db.session.get(Case, case.id).status == Status.FORWARDED  # type: ignore[union-attr]
    with organization_scope(bodies.b.id):
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1
        assert db.session.scalar(
            select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == there.id)
        )
        assert db.session.scalars(select(Notification.template)).all() == ["officer_new_case"]
    assert _actions(bodies.b.id, there.id) == ["case_received_forwarded"]
    assert db.session.scalar(select(func.count()).select_from(Case)) == 1
    db.session.expunge_all()
    page = _client(app, "a.example").get(
        f"/track/{result.code}/{result.token}", follow_redirects=True
    )
    assert "อบต.หนองระเวียง" in page.get_data(as_text=True)
