"""Staff sign-in, sign-out, throttling, session ending and timeouts, role guards."""

from __future__ import annotations

import time

import pytest
from flask import Blueprint, current_app
from sqlalchemy import select

from app.audit import AuditEntry
from app.auth import services
from app.auth.decorators import role_required
from app.auth.demo import DEMO_PASSWORD, DEMO_USERS
from app.auth.errors import InvalidPassword
from app.auth.models import Role, SignInFailure, User
from app.auth.passwords import password_problem
from app.config import Config
from app.extensions import db
from tests.factories import USER_PASSWORD, make_user, sign_in

SAME_MESSAGE = "อีเมลหรือรหัสผ่านไม่ถูกต้อง"
THROTTLED = "ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไป"


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def _post_login(client, email, password, **extra):
    return client.post("/staff/login", data={"email": email, "password": password, **extra})


def test_officer_signs_in_and_lands_on_staff_home(client):
    user = make_user(roles=("officer",))
    response = _post_login(client, user.email.upper(), USER_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/")
    assert page.status_code == 200
    assert user.display_name in page.get_data(as_text=True)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "sign_in")).one()
    assert entry.user_id == user.id
    assert entry.ip == "127.0.0.1"


def test_wrong_password_and_unknown_account_get_the_same_message_and_are_audited(client):
    user = make_user()
    wrong = _post_login(client, user.email, "not the password").get_data(as_text=True)
    unknown = _post_login(client, "nobody@example.com", "whatever it is").get_data(as_text=True)
    assert SAME_MESSAGE in wrong and SAME_MESSAGE in unknown
    failures = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "sign_in_failed").order_by(AuditEntry.id)
    ).all()
    assert [f.detail["reason"] for f in failures] == ["wrong_password", "unknown_account"]
    assert failures[0].target_id == str(user.id)


def test_a_failed_sign_in_keeps_what_was_typed_only_when_it_is_a_known_accounts_email(client):
    user = make_user()
    typed_password = "Tiger-Lily 2569"  # typed into the e-mail box by mistake
    _post_login(client, user.email.upper(), "not the password")
    _post_login(client, typed_password, "whatever it is")
    _post_login(client, typed_password, "whatever it is")
    _post_login(client, "someone.else@example.com", "whatever it is")
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "sign_in_failed").order_by(AuditEntry.id)
    ).all()
    assert entries[0].detail == {"email": user.email, "reason": "wrong_password"}
    unknown = [entry.detail for entry in entries[1:]]
    assert all(set(d) == {"identifier_hmac", "reason"} for d in unknown)
    assert unknown[0]["identifier_hmac"] == unknown[1]["identifier_hmac"]  # the same typed text
    assert unknown[2]["identifier_hmac"] != unknown[0]["identifier_hmac"]
    stored = repr([(e.user_email, e.target_id, e.detail) for e in entries])
    stored += repr(db.session.execute(select(SignInFailure.account_key, SignInFailure.ip)).all())
    for secret in (typed_password, typed_password.lower(), "someone.else"):
        assert secret not in stored


def test_the_throttle_counts_an_unknown_identifier_by_its_stored_hash(client):
    for _ in range(current_app.config["SIGNIN_FAILURES_PER_ACCOUNT"]):
        _post_login(client, "Not An Email 123", "wrong password!")
    throttled = _post_login(client, "not an email 123", "x" * 9)
    assert THROTTLED in throttled.get_data(as_text=True)
    last = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "sign_in_failed").order_by(AuditEntry.id)
    ).all()[-1]
    assert last.detail["reason"] == "throttled" and "email" not in last.detail


def test_disabled_account_cannot_sign_in(client):
    user = make_user()
    services.set_active(user, False)
    assert SAME_MESSAGE in _post_login(client, user.email, USER_PASSWORD).get_data(as_text=True)


def test_account_is_throttled_after_five_failures_even_with_the_right_password(client):
    user = make_user()
    for _ in range(current_app.config["SIGNIN_FAILURES_PER_ACCOUNT"]):
        _post_login(client, user.email, "wrong password!")
    response = _post_login(client, user.email, USER_PASSWORD)
    assert response.status_code == 200
    assert THROTTLED in response.get_data(as_text=True)


def test_the_sign_in_throttle_follows_its_settings(app_factory):
    app = app_factory(SIGNIN_FAILURES_PER_ACCOUNT=2, SIGNIN_THROTTLE_MINUTES=5)
    with app.app_context():
        client = app.test_client()
        user = make_user()
        for _ in range(2):
            _post_login(client, user.email, "wrong password!")
        page = _post_login(client, user.email, USER_PASSWORD).get_data(as_text=True)
        assert f"{THROTTLED} กรุณารอ 5 นาที" in page


def test_unknown_account_is_throttled_with_the_same_message(client):
    for _ in range(current_app.config["SIGNIN_FAILURES_PER_ACCOUNT"]):
        _post_login(client, "ghost@example.com", "wrong password!")
    assert THROTTLED in _post_login(client, "ghost@example.com", "x" * 9).get_data(as_text=True)


def test_one_address_is_throttled_across_accounts(client):
    user = make_user()
    for n in range(current_app.config["SIGNIN_FAILURES_PER_IP"]):
        _post_login(client, f"guess{n}@example.com", "wrong password!")
    assert THROTTLED in _post_login(client, user.email, USER_PASSWORD).get_data(as_text=True)
    other_address = client.post(
        "/staff/login",
        data={"email": user.email, "password": USER_PASSWORD},
        environ_base={"REMOTE_ADDR": "10.0.0.9"},
    )
    assert other_address.status_code == 302


def test_sign_in_renews_the_session(client):
    user = make_user()
    with client.session_transaction() as sess:
        sess["planted"] = "by an attacker"
    sign_in(client, user)
    with client.session_transaction() as sess:
        assert "planted" not in sess


def test_sign_out_ends_every_session_and_an_old_cookie_replayed_fails(app):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    sign_in(phone, user)
    old_cookie = laptop.get_cookie("session").value
    assert laptop.post("/staff/logout").status_code == 302
    assert phone.get("/staff/").status_code == 302  # the other device is out too
    laptop.set_cookie("session", old_cookie)
    response = laptop.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")


def test_disabling_a_user_ends_their_session(app):
    user = make_user()
    client = app.test_client()
    sign_in(client, user)
    services.set_active(user, False)
    assert client.get("/staff/").status_code == 302


def test_password_change_ends_other_sessions(app):
    user = make_user()
    client = app.test_client()
    sign_in(client, user)
    services.change_password(user, USER_PASSWORD, "a brand new passphrase")
    assert client.get("/staff/").status_code == 302
    with pytest.raises(InvalidPassword):
        services.change_password(user, "wrong current one", "another new passphrase")


@pytest.mark.parametrize(
    ("key", "seconds_ago"), [("seen_at", 31 * 60), ("auth_at", 11 * 3600)], ids=["idle", "absolute"]
)
def test_sessions_time_out(client, key, seconds_ago):
    sign_in(client, make_user())
    with client.session_transaction() as sess:
        sess[key] = int(time.time()) - seconds_ago
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")


def test_activity_keeps_an_idle_session_alive(client):
    sign_in(client, make_user())
    with client.session_transaction() as sess:
        sess["seen_at"] = int(time.time()) - 29 * 60
    assert client.get("/staff/").status_code == 200


def test_next_only_goes_to_local_paths(client):
    user = make_user()
    response = _post_login(client, user.email, USER_PASSWORD, next="https://evil.example/")
    assert response.headers["Location"] == "/staff/"


def test_session_cookie_flags():
    production = Config(ENV="production", SECRET_KEY="x" * 40).flask_mapping()
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("short", False),
        ("x" * 65, False),
        ("Password123", False),
        ("12345678", False),
        ("ช้างกินกล้วยหอม", True),
        ("x" * 64, True),
    ],
)
def test_password_rules(app, password, ok):
    assert (password_problem(password) is None) is ok


def test_passwords_are_stored_as_argon2id(app):
    user = make_user()
    assert user.password_hash.startswith("$argon2id$")


@pytest.fixture
def guarded_app(app_factory):
    """An app with one admin-only page, to test the guard on its own."""
    application = app_factory()
    bp = Blueprint("guarded", __name__)

    @bp.get("/staff/admin-only")
    @role_required(Role.ADMIN, "supervisor")
    def admin_only() -> str:
        return "secret admin page"

    application.register_blueprint(bp)
    with application.app_context():
        yield application


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (None, 302),
        (("officer",), 403),
        (("executive", "integrity"), 403),
        (("admin",), 200),
        (("officer", "supervisor"), 200),
    ],
)
def test_role_required(guarded_app, roles, expected):
    client = guarded_app.test_client()
    if roles:
        sign_in(client, make_user(roles=roles))
    assert client.get("/staff/admin-only").status_code == expected
    denied = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "access_denied")
    ).all()
    assert len(denied) == (1 if expected == 403 else 0)
    if denied:
        assert denied[0].detail["path"] == "/staff/admin-only"
        assert denied[0].user_id is not None


def test_csrf_failures_are_audited(app_factory):
    application = app_factory(WTF_CSRF_ENABLED=True)
    with application.app_context():
        response = application.test_client().post(
            "/staff/login", data={"email": "a@example.com", "password": "whatever1"}
        )
        assert response.status_code == 400
        assert _actions() == ["csrf_failed"]


def test_users_create_command(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Chief@Example.com",
            "--role",
            "admin",
            "--role",
            "officer",
            "--department",
            "works",
            "--password",
            USER_PASSWORD,
        ],
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalars(select(User).where(User.email == "chief@example.com")).one()
    assert user.roles == {Role.ADMIN, Role.OFFICER}
    assert [d.code for d in user.departments] == ["works"]
    again = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "chief@example.com",
            "--role",
            "admin",
            "--password",
            USER_PASSWORD,
        ],
    )
    assert again.exit_code != 0
    unknown_department = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "x@example.com",
            "--role",
            "officer",
            "--department",
            "nowhere",
            "--password",
            USER_PASSWORD,
        ],
    )
    assert "nowhere" in unknown_department.output


def test_demo_seed_creates_one_account_per_role_only_with_demo(runner, app):
    runner.invoke(args=["seed"])
    assert db.session.scalars(select(User)).all() == []
    result = runner.invoke(args=["seed", "--demo"])
    assert result.exit_code == 0, result.output
    users = db.session.scalars(select(User)).all()
    assert {role for u in users for role in u.roles} == set(Role)
    client = app.test_client()
    email = DEMO_USERS[0][0]
    assert _post_login(client, email, DEMO_PASSWORD).status_code == 302


def test_login_as_fixture_gives_officers_the_works_department(login_as):
    client = login_as("officer")
    assert [d.code for d in client.user.departments] == ["works"]
    assert client.get("/staff/").status_code == 200


def test_guessing_the_current_password_on_the_password_page_is_throttled_and_audited(login_as):
    officer = login_as("officer")
    for n in range(current_app.config["SIGNIN_FAILURES_PER_ACCOUNT"]):
        officer.post("/staff/password", data={"current": f"guess {n} wrong", "new": "x" * 12})
    right = {"current": USER_PASSWORD, "new": "a much better passphrase"}
    page = officer.post("/staff/password", data=right).get_data(as_text=True)
    assert THROTTLED in page  # even the right password waits out the throttle
    refused = [
        e.detail["reason"]
        for e in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "password_change_refused")
        )
    ]
    assert refused.count("wrong_password") == current_app.config["SIGNIN_FAILURES_PER_ACCOUNT"]
    assert refused[-1] == "throttled"
