"""Admins manage accounts and browse the audit log."""

from __future__ import annotations

from sqlalchemy import select

from app.audit import AuditEntry
from app.auth.models import Role, User
from app.extensions import db
from tests.factories import make_user, sign_in


def test_admin_creates_and_edits_a_user_and_disabling_ends_their_session(app, login_as):
    admin = login_as("admin")
    response = admin.post(
        "/staff/admin/users/new",
        data={
            "email": "new.officer@example.com",
            "display_name": "สมหญิง ขยัน",
            "roles": ["officer"],
            "departments": ["works", "health"],
            "password": "a fine long passphrase",
        },
    )
    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "new.officer@example.com")).one()
    assert user.roles == {Role.OFFICER}
    assert sorted(d.code for d in user.departments) == ["health", "works"]
    their_client = app.test_client()
    sign_in(their_client, user, "a fine long passphrase")
    admin.post(
        f"/staff/admin/users/{user.id}",
        data={
            "display_name": "สมหญิง ขยัน",
            "roles": ["officer", "supervisor"],
            "departments": ["works"],
        },  # "active" unticked: disabled
    )
    assert user.roles == {Role.OFFICER, Role.SUPERVISOR} and not user.active
    assert their_client.get("/staff/").status_code == 302
    assert "สมหญิง ขยัน" in admin.get("/staff/admin/users").get_data(as_text=True)


def test_admin_cannot_set_a_common_password(login_as):
    admin = login_as("admin")
    user = make_user()
    response = admin.post(
        f"/staff/admin/users/{user.id}",
        data={"display_name": "x", "roles": ["officer"], "active": "y", "password": "12345678"},
    )
    assert "ถูกใช้บ่อยเกินไป" in response.get_data(as_text=True)


def test_audit_log_lists_and_filters_entries_newest_first(login_as):
    admin = login_as("admin")
    officer = login_as("officer")
    officer.get("/staff/admin/users")  # refused: audited
    page = admin.get("/staff/admin/audit").get_data(as_text=True)
    assert "access_denied" in page and "sign_in" in page
    filtered = admin.get("/staff/admin/audit", query_string={"action": "access_denied"}).get_data(
        as_text=True
    )
    assert filtered.count('class="audit-row"') == 1
    assert officer.user.email in filtered
    by_user = admin.get("/staff/admin/audit", query_string={"user": officer.user.email})
    rows = by_user.get_data(as_text=True).count('class="audit-row"')
    assert rows == db.session.query(AuditEntry).filter_by(user_id=officer.user.id).count()


def _roles_refused() -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "role_change_refused")
            .order_by(AuditEntry.id)
        )
    )


def _edit(admin, user, roles, **extra):
    data = {"display_name": user.display_name, "roles": roles, "active": "y", **extra}
    return admin.post(f"/staff/admin/users/{user.id}", data=data)


def test_an_admin_cannot_give_itself_a_role_and_the_attempt_is_audited(login_as):
    admin = login_as("admin")
    page = admin.get(f"/staff/admin/users/{admin.user.id}").get_data(as_text=True)
    assert 'value="integrity"' not in page and "เปลี่ยนบทบาทของบัญชีตนเองไม่ได้" in page
    response = _edit(admin, admin.user, ["admin", "integrity"])
    assert response.status_code == 403
    assert "เปลี่ยนบทบาทของบัญชีตนเองไม่ได้" in response.get_data(as_text=True)
    assert admin.user.roles == {Role.ADMIN}
    [refused] = _roles_refused()
    assert refused.user_id == admin.user.id and refused.target_id == str(admin.user.id)
    assert refused.detail == {
        "reason": "own_roles",
        "held": ["admin"],
        "wanted": ["admin", "integrity"],
    }
    assert admin.get("/integrity/staff/").status_code == 403


def test_an_admin_cannot_drop_or_add_its_own_ordinary_roles_but_may_edit_the_rest(login_as):
    admin = login_as("admin", "officer")
    assert _edit(admin, admin.user, ["admin"]).status_code == 403
    assert _edit(admin, admin.user, ["admin", "officer", "supervisor"]).status_code == 403
    assert admin.user.roles == {Role.ADMIN, Role.OFFICER}
    unchanged = _edit(admin, admin.user, ["admin", "officer"], display_name="ชื่อใหม่")
    assert unchanged.status_code == 302 and admin.user.display_name == "ชื่อใหม่"


def test_the_web_pages_never_grant_the_integrity_role(login_as):
    admin = login_as("admin")
    officer = make_user()
    assert 'value="integrity"' not in admin.get(f"/staff/admin/users/{officer.id}").get_data(
        as_text=True
    )
    assert 'value="integrity"' not in admin.get("/staff/admin/users/new").get_data(as_text=True)
    refused = _edit(admin, officer, ["officer", "integrity"], departments=["works"])
    assert refused.status_code == 403 and officer.roles == {Role.OFFICER}
    assert "grant-integrity" in refused.get_data(as_text=True)
    created = admin.post(
        "/staff/admin/users/new",
        data={
            "email": "friend@example.com",
            "display_name": "เพื่อน",
            "roles": ["integrity"],
            "password": "a fine long passphrase",
        },
    )
    assert created.status_code == 403
    assert db.session.scalar(select(User).where(User.email == "friend@example.com")) is None
    assert [e.detail["reason"] for e in _roles_refused()] == ["integrity_not_grantable_on_web"] * 2


def test_an_integrity_officer_keeps_the_role_when_edited_and_may_lose_it_on_the_web(login_as):
    admin = login_as("admin")
    integrity = make_user(roles=("integrity",))
    page = admin.get(f"/staff/admin/users/{integrity.id}").get_data(as_text=True)
    assert 'checked id="roles-' in page and 'value="integrity"' in page
    kept = _edit(admin, integrity, ["integrity"], display_name="ผู้ตรวจสอบ")
    assert kept.status_code == 302
    assert integrity.roles == {Role.INTEGRITY} and integrity.display_name == "ผู้ตรวจสอบ"
    assert _edit(admin, integrity, ["executive"]).status_code == 302
    assert integrity.roles == {Role.EXECUTIVE}
    assert _roles_refused() == []


def test_an_unknown_role_is_a_form_error_not_a_server_error(login_as):
    admin = login_as("admin")
    officer = make_user()
    response = _edit(admin, officer, ["officer", "overlord"])
    assert response.status_code == 200
    assert "ไม่รู้จักบทบาทที่เลือก" in response.get_data(as_text=True)
    assert officer.roles == {Role.OFFICER}


def test_the_integrity_role_is_granted_and_revoked_on_the_command_line_and_audited(runner):
    officer = make_user()
    granted = runner.invoke(args=["users", "grant-integrity", officer.email.upper()])
    assert granted.exit_code == 0, granted.output
    assert officer.roles == {Role.OFFICER, Role.INTEGRITY}
    again = runner.invoke(args=["users", "grant-integrity", officer.email])
    assert again.exit_code == 0 and "nothing to change" in again.output
    revoked = runner.invoke(args=["users", "revoke-integrity", officer.email])
    assert revoked.exit_code == 0 and officer.roles == {Role.OFFICER}
    entries = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action.in_(["integrity_granted", "integrity_revoked"]))
        .order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.target_id) for e in entries] == [
        ("integrity_granted", str(officer.id)),
        ("integrity_revoked", str(officer.id)),
    ]
    assert entries[0].detail["roles"] == ["integrity", "officer"]
    assert entries[0].detail["via"].startswith("command line")
    unknown = runner.invoke(args=["users", "grant-integrity", "nobody@example.com"])
    assert unknown.exit_code != 0 and "ไม่พบบัญชี" in unknown.output
