"""Two-factor sign-in: required for admins and integrity officers, optional for others."""

from __future__ import annotations

import time

import pyotp
import pytest
from sqlalchemy import select, text

from app.audit import AuditEntry
from app.auth import services, two_factor
from app.auth.errors import SecondFactorRefused
from app.extensions import db
from tests.factories import USER_PASSWORD, make_user, sign_in, totp_code


def _password(client, user):
    return client.post("/staff/login", data={"email": user.email, "password": USER_PASSWORD})


def test_admin_without_an_app_must_set_one_up_before_getting_in(client):
    admin = make_user(roles=("admin",))
    admin.totp_secret = None
    db.session.commit()
    response = _password(client, admin)
    assert response.headers["Location"] == "/staff/two-factor"
    assert client.get("/staff/").status_code == 302  # not signed in yet
    page = client.get("/staff/two-factor").get_data(as_text=True)
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    wrong = client.post("/staff/two-factor", data={"code": "000000"})
    assert "รหัสยืนยันไม่ถูกต้อง" in wrong.get_data(as_text=True)
    done = client.post("/staff/two-factor", data={"code": pyotp.TOTP(secret).now()})
    codes = done.get_data(as_text=True).split('id="recovery-codes">')[1]
    assert codes.count("<code>") == two_factor.RECOVERY_CODE_COUNT
    assert admin.totp_secret == secret
    assert client.get("/staff/").status_code == 200


def test_the_code_is_required_and_cannot_be_replayed(app):
    integrity = make_user(roles=("integrity",))
    client = app.test_client()
    assert _password(client, integrity).headers["Location"] == "/staff/login/code"
    assert client.get("/staff/").status_code == 302
    wrong = client.post("/staff/login/code", data={"code": "123456"})
    assert "รหัสยืนยันไม่ถูกต้อง" in wrong.get_data(as_text=True)
    code = totp_code(integrity)
    assert client.post("/staff/login/code", data={"code": code}).status_code == 302
    assert client.get("/staff/").status_code == 200
    again = app.test_client()
    _password(again, integrity)
    replay = again.post("/staff/login/code", data={"code": code})
    assert replay.status_code == 200 and "ถูกใช้ไปแล้ว" in replay.get_data(as_text=True)


def test_a_recovery_code_works_once(app):
    admin = make_user(roles=("admin",))
    [first, *_rest] = two_factor.new_recovery_codes(admin)
    db.session.commit()
    client = app.test_client()
    _password(client, admin)
    assert client.post("/staff/login/code", data={"code": first.upper()}).status_code == 302
    other = app.test_client()
    _password(other, admin)
    assert other.post("/staff/login/code", data={"code": first}).status_code == 200


def test_a_code_used_by_another_session_after_this_one_read_the_account_is_refused(app):
    """The row count of the conditional UPDATE decides, not the account as this session loaded it.

    Another session's sign-in with the same code is simulated by writing the row behind the back
    of this session's already loaded ``User`` (a race on one SQLite file or PostgreSQL alike).
    """
    admin = make_user(roles=("admin",))
    code = totp_code(admin)
    step = two_factor.matching_step(admin.totp_secret or "", code, admin.totp_last_step)
    db.session.execute(
        text("UPDATE users SET totp_last_step = :step WHERE id = :id"),
        {"step": step, "id": admin.id},
    )
    assert admin.totp_last_step != step  # this session still sees the code as unused
    with pytest.raises(SecondFactorRefused):
        services.check_second_factor(admin, code)


def test_a_recovery_code_used_by_another_session_meanwhile_is_refused(app):
    admin = make_user(roles=("admin",))
    [first, *_rest] = two_factor.new_recovery_codes(admin)
    db.session.commit()
    db.session.execute(
        text("UPDATE recovery_codes SET used_at = CURRENT_TIMESTAMP WHERE user_id = :id"),
        {"id": admin.id},
    )
    assert all(stored.used_at is None for stored in admin.recovery_codes)  # as loaded before
    with pytest.raises(SecondFactorRefused):
        services.check_second_factor(admin, first)


def test_the_pending_sign_in_expires(client):
    admin = make_user(roles=("admin",))
    _password(client, admin)
    with client.session_transaction() as sess:
        sess["pending_at"] = int(time.time()) - 301
    assert client.post("/staff/login/code", data={"code": totp_code(admin)}).status_code == 302
    assert client.get("/staff/").status_code == 302


def test_a_password_alone_cannot_replace_an_existing_app(client):
    admin = make_user(roles=("admin",))
    _password(client, admin)
    response = client.get("/staff/two-factor")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login"


def _new_secret(client) -> str:
    page = client.get("/staff/two-factor").get_data(as_text=True)
    return page.split('id="totp-secret">')[1].split("<")[0]


def _audited(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
    )


def test_a_signed_in_session_alone_cannot_replace_the_app(login_as):
    admin = login_as("admin")
    old_secret = admin.user.totp_secret
    new_secret = _new_secret(admin)
    response = admin.post("/staff/two-factor", data={"code": pyotp.TOTP(new_secret).now()})
    assert response.status_code == 200
    assert admin.user.totp_secret == old_secret
    assert _audited("two_factor_replaced") == []


def test_replacing_the_app_needs_the_password_and_a_code_from_the_old_app(login_as):
    admin = login_as("admin")
    user = admin.user
    old_secret = user.totp_secret
    new_secret = _new_secret(admin)
    page = admin.get("/staff/two-factor").get_data(as_text=True)
    assert 'name="password"' in page and 'name="current_code"' in page
    new_code = pyotp.TOTP(new_secret).now()

    def replace(password, current_code):
        data = {"password": password, "current_code": current_code, "code": new_code}
        return admin.post("/staff/two-factor", data=data).get_data(as_text=True)

    assert "รหัสผ่านปัจจุบันไม่ถูกต้อง" in replace("not the password", totp_code(user))
    assert "รหัสจากแอปยืนยันตัวตนเดิม" in replace(USER_PASSWORD, "000000")
    assert "รหัสจากแอปยืนยันตัวตนเดิม" in replace(USER_PASSWORD, pyotp.TOTP(new_secret).now())
    assert user.totp_secret == old_secret
    refused = _audited("two_factor_change_refused")
    assert [e.detail["reason"] for e in refused] == ["wrong_password"] + ["wrong_second_factor"] * 2
    done = replace(USER_PASSWORD, totp_code(user))
    assert done.split('id="recovery-codes">')[1].count("<code>") == two_factor.RECOVERY_CODE_COUNT
    assert user.totp_secret == new_secret
    assert [e.user_id for e in _audited("two_factor_replaced")] == [user.id]


def test_a_recovery_code_stands_in_for_the_lost_old_app_once(login_as):
    admin = login_as("admin")
    [recovery, *_rest] = two_factor.new_recovery_codes(admin.user)
    db.session.commit()
    new_secret = _new_secret(admin)
    data = {
        "password": USER_PASSWORD,
        "current_code": recovery,
        "code": pyotp.TOTP(new_secret).now(),
    }
    assert "recovery-codes" in admin.post("/staff/two-factor", data=data).get_data(as_text=True)
    assert admin.user.totp_secret == new_secret
    again = {**data, "code": pyotp.TOTP(_new_secret(admin)).now()}
    page = admin.post("/staff/two-factor", data=again).get_data(as_text=True)
    assert "รหัสจากแอปยืนยันตัวตนเดิม" in page and admin.user.totp_secret == new_secret


def test_wrong_passwords_when_replacing_the_app_count_towards_the_sign_in_throttle(login_as):
    admin = login_as("admin")
    old_secret = admin.user.totp_secret
    new_code = pyotp.TOTP(_new_secret(admin)).now()
    for n in range(admin.application.config["SIGNIN_FAILURES_PER_ACCOUNT"]):
        data = {"password": f"guess number {n}", "current_code": "000000", "code": new_code}
        admin.post("/staff/two-factor", data=data)
    right = {"password": USER_PASSWORD, "current_code": totp_code(admin.user), "code": new_code}
    page = admin.post("/staff/two-factor", data=right).get_data(as_text=True)
    assert "ลงชื่อเข้าใช้ไม่สำเร็จหลายครั้งเกินไป" in page
    assert admin.user.totp_secret == old_secret


def test_officers_may_turn_it_on_and_then_need_it(app):
    officer = make_user(roles=("officer",))
    client = app.test_client()
    sign_in(client, officer)
    page = client.get("/staff/two-factor").get_data(as_text=True)
    secret = page.split('id="totp-secret">')[1].split("<")[0]
    client.post("/staff/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert officer.totp_secret == secret
    later = app.test_client()
    assert _password(later, officer).headers["Location"] == "/staff/login/code"


def test_a_role_needing_two_factor_granted_later_sends_the_user_to_set_it_up(login_as):
    client = login_as("officer")
    client.user.set_roles({"officer", "integrity"})
    db.session.commit()
    response = client.get("/staff/cases")
    assert response.headers["Location"] == "/staff/two-factor"


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "1234567"])
def test_malformed_codes_never_match(code):
    assert two_factor.matching_step(pyotp.random_base32(), code, None) is None


def test_changing_the_password_keeps_this_session_and_ends_others(app):
    user = make_user()
    here, there = app.test_client(), app.test_client()
    sign_in(here, user)
    sign_in(there, user)
    weak = here.post("/staff/password", data={"current": USER_PASSWORD, "new": "password1"})
    assert "ถูกใช้บ่อยเกินไป" in weak.get_data(as_text=True)
    response = here.post(
        "/staff/password", data={"current": USER_PASSWORD, "new": "a much better passphrase"}
    )
    assert response.status_code == 302
    assert here.get("/staff/").status_code == 200
    assert there.get("/staff/").status_code == 302
