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
