"""Platform administrators: organizations and first admins, and never a body's content.

A platform account belongs to no body: it signs in on the platform's own pages, every page of a
body refuses it (403, in that body's audit log), and it holds no body role it could use or
grant itself.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry, PlatformAuditEntry
from app.auth.models import Role, User
from app.extensions import db
from app.models import utcnow
from app.organizations.models import Organization
from app.organizations.scope import organization_scope, platform_scope
from app.platform.models import AccountKind, Invitation, PlatformAccount
from cases.models import Category
from tests.factories import USER_PASSWORD, make_case, make_user, sign_in, totp_code
from tests.integrity.conftest import make_report
from tests.platform_helpers import make_platform_account, platform_client

NEW_BODY = {
    "slug": "ban-pho",
    "name_th": "องค์การบริหารส่วนตำบลบ้านโพธิ์",
    "type": "sao",
    "subdistricts": "300115",
    "hosts": "banpho.example",
    "phone": "044-000000",
}
PASSWORD = "a fine long passphrase"


def _body(slug: str = "ban-pho") -> Organization:
    found = db.session.scalar(select(Organization).where(Organization.slug == slug))
    assert found is not None
    return found


@pytest.fixture
def admin_client(app):
    return platform_client(app, make_platform_account())


def test_platform_admin_creates_edits_and_suspends_a_body(app, admin_client):
    assert admin_client.post("/platform/organizations/new", data=NEW_BODY).status_code == 302
    body = _body()
    assert body.district_code == "3001" and body.host_names == ["banpho.example"]
    with organization_scope(body.id):
        assert db.session.scalar(select(func.count()).select_from(Category)) > 0
    edited = {**NEW_BODY, "name_th": "อบต.บ้านโพธิ์", "hosts": ""}
    assert admin_client.post(f"/platform/organizations/{body.id}", data=edited).status_code == 302
    assert body.name_th == "อบต.บ้านโพธิ์" and body.host_names == []
    resident = app.test_client()
    assert resident.get("/o/ban-pho/").status_code == 200
    admin_client.post(f"/platform/organizations/{body.id}/active", data={"active": "0"})
    assert not body.active
    assert resident.get("/o/ban-pho/").status_code == 404
    actions = set(db.session.scalars(select(PlatformAuditEntry.action)))
    assert {"organization_created", "organization_updated", "organization_suspended"} <= actions


def test_a_refused_organization_comes_back_as_typed_with_a_thai_reason(app, admin_client):
    response = admin_client.post(
        "/platform/organizations/new", data={**NEW_BODY, "subdistricts": "999999"}
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "ไม่พบรหัสตำบล 999999" in page and NEW_BODY["name_th"] in page


def _invite(client, body: Organization, email: str = "clerk@banpho.example") -> str:
    response = client.post(
        f"/platform/organizations/{body.id}/invitation",
        data={"email": email, "display_name": "ปลัดบ้านโพธิ์"},
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    link = page.split('<code class="invitation-link">')[1].split("</code>")[0]
    return "/" + link.split("://", 1)[1].split("/", 1)[1]  # the path, on the test's host


def _accept(client, path: str, password: str = PASSWORD):
    return client.post(path, data={"password": password, "confirm": password})


def test_the_invitation_makes_the_first_admin_once(app, admin_client):
    admin_client.post("/platform/organizations/new", data={**NEW_BODY, "hosts": ""})
    body = _body()
    path = _invite(admin_client, body)
    assert path.startswith("/o/ban-pho/staff/invitation/")
    invitee = app.test_client()
    assert "clerk@banpho.example" in invitee.get(path).get_data(as_text=True)
    assert _accept(invitee, path, "short").status_code == 400  # the rules of every password
    assert _accept(invitee, path).status_code == 302
    with organization_scope(body.id):
        user = db.session.scalars(select(User).where(User.email == "clerk@banpho.example")).one()
        assert user.roles == {Role.ADMIN}
        assert db.session.scalar(
            select(AuditEntry.id).where(AuditEntry.action == "first_admin_invited")
        )
    again = _accept(app.test_client(), path)
    assert again.status_code == 410
    assert "คำเชิญนี้ถูกใช้ไปแล้วหรือหมดอายุแล้ว" in again.get_data(as_text=True)
    # The body has an admin now: its staff are its own admin's business.
    refused = admin_client.post(
        f"/platform/organizations/{body.id}/invitation", data={"email": "other@example.com"}
    )
    assert refused.status_code == 400
    assert "หน่วยงานนี้มีผู้ดูแลระบบแล้ว" in refused.get_data(as_text=True)


def test_an_expired_or_unknown_invitation_gets_a_thai_4xx(app, admin_client):
    admin_client.post("/platform/organizations/new", data={**NEW_BODY, "hosts": ""})
    path = _invite(admin_client, _body())
    db.session.scalars(select(Invitation)).one().expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    expired = app.test_client().get(path)
    assert expired.status_code == 410 and "หมดอายุ" in expired.get_data(as_text=True)
    assert _accept(app.test_client(), path).status_code == 410
    unknown = app.test_client().get("/o/ban-pho/staff/invitation/" + "x" * 43)
    assert unknown.status_code == 404 and "ไม่พบคำเชิญนี้" in unknown.get_data(as_text=True)
    with organization_scope(_body().id):
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_an_invitation_opens_only_on_its_own_bodys_pages(app, admin_client):
    admin_client.post("/platform/organizations/new", data={**NEW_BODY, "hosts": ""})
    other = {**NEW_BODY, "slug": "chae", "subdistricts": "300201", "hosts": ""}
    admin_client.post("/platform/organizations/new", data=other)
    path = _invite(admin_client, _body())
    assert app.test_client().get(path.replace("/o/ban-pho/", "/o/chae/")).status_code == 404


def test_a_platform_admin_cannot_invite_itself_into_a_body(app):
    account = make_platform_account()
    client = platform_client(app, account)
    client.post("/platform/organizations/new", data={**NEW_BODY, "hosts": ""})
    response = client.post(
        f"/platform/organizations/{_body().id}/invitation", data={"email": account.email}
    )
    assert response.status_code == 400
    assert "อีเมลนี้เป็นบัญชีแพลตฟอร์ม" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


# Every kind of a body's content, and the body's own admin screens (a single-body install).
BODY_URLS = [
    "/staff/",
    "/staff/cases",
    "/staff/cases/{case_id}",
    "/staff/cases/{case_id}/receipt",
    "/reports/summary",
    "/reports/summary.pdf",
    "/reports/summary.csv",
    "/statistics/complaints",
    "/integrity/staff/reports/{report_id}",
    "/staff/admin/users",
    "/staff/admin/audit",
]


@pytest.mark.parametrize("url", BODY_URLS)
def test_a_platform_admin_opening_a_bodys_page_is_refused_and_audited(app, url):
    case, _ = make_case()
    report, _ = make_report()
    client = platform_client(app, make_platform_account(email="root@platform.example"))
    db.session.expunge_all()
    response = client.get(url.format(case_id=case.id, report_id=report.id))
    assert response.status_code == 403
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "access_denied").order_by(AuditEntry.id)
    ).all()[-1]
    assert entry.user_email == "platform:root@platform.example" and entry.user_id is None
    assert entry.detail["path"] == url.format(case_id=case.id, report_id=report.id)


def test_a_platform_admin_cannot_grant_itself_a_bodys_role(app):
    account = make_platform_account(email="root@platform.example")
    client = platform_client(app, account)
    assert account.roles == frozenset()
    response = client.post(
        "/staff/admin/users/new",
        data={
            "email": "root@platform.example",
            "display_name": "root",
            "roles": ["admin", "executive"],
            "password": PASSWORD,
        },
    )
    assert response.status_code == 403
    with platform_scope():
        assert db.session.scalar(select(User).where(User.email == account.email)) is None


def test_body_staff_and_oversight_cannot_use_the_administrators_screens(app):
    staff = app.test_client()
    sign_in(staff, make_user(roles=("admin",)))
    assert staff.get("/platform/organizations").status_code == 302  # a stranger to the platform
    oversight = platform_client(app, make_platform_account(AccountKind.OVERSIGHT, province="30"))
    assert oversight.get("/platform/organizations").status_code == 403
    assert oversight.post("/platform/organizations/new", data=NEW_BODY).status_code == 403
    assert db.session.scalar(select(Organization).where(Organization.slug == "ban-pho")) is None


def test_platform_sign_in_shares_the_rules_and_is_audited_on_the_platform(app):
    account = make_platform_account(email="root@platform.example")
    response = app.test_client().post(
        "/platform/login", data={"email": account.email, "password": "wrong password!"}
    )
    assert "อีเมลหรือรหัสผ่านไม่ถูกต้อง" in response.get_data(as_text=True)
    failed = db.session.scalars(
        select(PlatformAuditEntry).where(PlatformAuditEntry.action == "sign_in_failed")
    ).one()
    assert failed.detail["reason"] == "wrong_password"
    client = platform_client(app, account)
    assert client.get("/platform/").headers["Location"].endswith("/platform/organizations")
    client.post("/platform/logout")
    assert client.get("/platform/organizations").status_code == 302


def test_the_platform_pages_are_not_served_under_a_bodys_name(app, admin_client):
    admin_client.post("/platform/organizations/new", data=NEW_BODY)
    assert admin_client.get("/o/ban-pho/platform/organizations").status_code == 404
    assert admin_client.get("http://banpho.example/platform/login").status_code == 404


def test_cli_creates_the_first_platform_admin_and_an_oversight_account(app, runner):
    result = runner.invoke(
        args=[
            "users",
            "create-platform-admin",
            "--email",
            "Root@Platform.example",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "users",
            "create-oversight",
            "--email",
            "sto@korat.example",
            "--district",
            "3001",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    accounts = {a.email: a for a in db.session.scalars(select(PlatformAccount))}
    assert accounts["root@platform.example"].kind == AccountKind.ADMINISTRATOR
    assert (
        accounts["sto@korat.example"].province_code,
        accounts["sto@korat.example"].district_code,
    ) == ("30", "3001")
    refused = runner.invoke(
        args=[
            "users",
            "create-oversight",
            "--email",
            "x@example.com",
            "--province",
            "99",
            "--password",
            PASSWORD,
        ]
    )
    assert refused.exit_code != 0 and "ไม่พบรหัสจังหวัด 99" in refused.output


def test_the_demo_has_a_platform_admin_and_the_province_office(app):
    from app.auth.demo import DEMO_PASSWORD
    from app.platform.demo import DEMO_TOTP_SECRET, seed_demo_platform_accounts

    assert seed_demo_platform_accounts() == 2 and seed_demo_platform_accounts() == 0
    client = app.test_client()
    response = client.post(
        "/platform/login",
        data={"email": "oversight@demo.example.com", "password": DEMO_PASSWORD},
    )
    admin = db.session.scalars(
        select(PlatformAccount).where(PlatformAccount.email == "platform@demo.example.com")
    ).one()
    assert admin.totp_secret == DEMO_TOTP_SECRET
    assert response.headers["Location"] == "/platform/"
    assert client.get("/platform/").headers["Location"].endswith("/platform/oversight/")
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "platform_account_created")
        )
        == 0
    )  # the platform's log, not a body's


def test_a_platform_admin_signs_in_with_an_authenticator_code_used_once(app):
    account = make_platform_account(email="root@platform.example")
    assert account.needs_two_factor and account.totp_secret
    data = {"email": account.email, "password": USER_PASSWORD}
    without = app.test_client().post("/platform/login", data=data)
    assert without.status_code == 200
    assert "รหัสยืนยันไม่ถูกต้องหรือถูกใช้ไปแล้ว" in without.get_data(as_text=True)
    code = totp_code(account)
    assert app.test_client().post("/platform/login", data={**data, "code": code}).status_code == 302
    replay = app.test_client().post("/platform/login", data={**data, "code": code})
    assert replay.status_code == 200  # the same code twice: refused
    oversight = make_platform_account(AccountKind.OVERSIGHT, province="30")
    assert not oversight.needs_two_factor and oversight.totp_secret is None


def test_a_lost_authenticator_is_replaced_on_the_server_and_ends_sessions(app, runner):
    account = make_platform_account(email="root@platform.example")
    client = platform_client(app, account)
    old = account.totp_secret
    result = runner.invoke(args=["users", "reset-platform-two-factor", account.email])
    assert result.exit_code == 0 and "otpauth://" in result.output
    assert account.totp_secret != old
    assert client.get("/platform/organizations").status_code == 302
