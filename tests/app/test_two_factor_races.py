"""The same code posted at the same moment from two sessions of one account (PostgreSQL).

Each attempt runs as a request does, in its own thread with its own database session and
connection, and commits for real (outside the per-test transaction); the test deletes what it
created. Both attempts read the account before either uses the code, which is the race an
attacker wins when use-once is a check of the loaded row followed by a write.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete, func, select, text

from app.audit import AuditEntry
from app.auth import services, two_factor
from app.auth.errors import SecondFactorRefused
from app.auth.models import SignInFailure, User
from app.extensions import db
from rongrian import create_app
from tests.conftest import make_config
from tests.factories import make_user, totp_code

AUDIT_TRIGGER = "audit_entries_append_only"  # migration 0012


@pytest.fixture
def committing_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """An app whose sessions commit for real; rows it adds are removed afterwards."""
    app = create_app(make_config(database_url, tmp_path / "uploads"))
    with app.app_context():
        last_entry = db.session.scalar(select(func.max(AuditEntry.id))) or 0
        last_failure = db.session.scalar(select(func.max(SignInFailure.id))) or 0
        last_user = db.session.scalar(select(func.max(User.id))) or 0
        db.session.remove()
    yield app
    assert db.engine is not None
    # Test clean-up as the README's retention procedure: the table owner lifts the append-only
    # trigger for one transaction.
    with db.engine.begin() as connection:
        connection.execute(text(f"ALTER TABLE audit_entries DISABLE TRIGGER {AUDIT_TRIGGER}"))
        connection.execute(delete(AuditEntry).where(AuditEntry.id > last_entry))
        connection.execute(text(f"ALTER TABLE audit_entries ENABLE TRIGGER {AUDIT_TRIGGER}"))
        connection.execute(delete(SignInFailure).where(SignInFailure.id > last_failure))
        connection.execute(delete(User).where(User.id > last_user))
    db.engine.dispose()


def _race(app: Flask, user_id: int, code: str) -> list[bool]:
    """Post ``code`` from two sessions at once; whether each one was let in."""
    both_loaded = threading.Barrier(2, timeout=20)
    outcomes: list[bool] = []
    errors: list[BaseException] = []

    def attempt() -> None:
        try:
            with app.test_request_context("/staff/login/code", method="POST"):
                user = db.session.get(User, user_id)
                assert user is not None
                assert user.recovery_codes is not None  # loaded, as the request's check does
                both_loaded.wait()
                try:
                    services.check_second_factor(user, code)
                except SecondFactorRefused:
                    outcomes.append(False)
                else:
                    services.record_sign_in(user)
                    outcomes.append(True)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return sorted(outcomes)


@pytest.mark.postgres_only
def test_one_totp_code_posted_twice_at_once_signs_in_only_one_session(committing_app):
    with committing_app.app_context():
        admin = make_user(roles=("admin",))
        user_id, code = admin.id, totp_code(admin)
        db.session.remove()
    assert _race(committing_app, user_id, code) == [False, True]


@pytest.mark.postgres_only
def test_one_recovery_code_posted_twice_at_once_signs_in_only_one_session(committing_app):
    with committing_app.app_context():
        admin = make_user(roles=("admin",))
        [code, *_rest] = two_factor.new_recovery_codes(admin)
        db.session.commit()
        user_id = admin.id
        db.session.remove()
    assert _race(committing_app, user_id, code) == [False, True]
