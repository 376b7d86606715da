"""The audit log: stamped with user, time and IP, and append-only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from app import audit
from app.audit import AuditEntry, AuditLogIsAppendOnly
from app.extensions import db


def test_record_stamps_user_time_and_ip_inside_the_callers_transaction(app, login_as):
    client = login_as("officer")
    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "192.0.2.7"}):
        from flask_login import login_user

        login_user(client.user)
        audit.record("case_viewed", target_type="case", target_id=42, detail={"why": "test"})
        entry = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "case_viewed")
        ).one()
        stamped = (entry.user_id, entry.ip, entry.target_id, entry.at is not None)
        db.session.rollback()
    assert stamped == (client.user.id, "192.0.2.7", "42", True)
    # Rolled back with the caller's transaction: nothing is left behind.
    assert (
        db.session.scalars(select(AuditEntry).where(AuditEntry.action == "case_viewed")).all() == []
    )


def test_audit_entries_cannot_be_changed_or_deleted(app):
    audit.record("something_happened")
    db.session.commit()
    entry = db.session.scalars(select(AuditEntry)).one()
    entry.action = "something_else"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.scalars(select(AuditEntry)).one())
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(update(AuditEntry).values(action="x"))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.execute(delete(AuditEntry))


# The README's retention procedure, run by the table's owner in one transaction.
PURGE_BEFORE_2021_10 = (
    "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only",
    "DELETE FROM audit_entries WHERE at < '2021-10-01'",
    "ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only",
)


def _refused_by_the_database(sql: str) -> None:
    with (
        pytest.raises(DBAPIError, match="audit_entries is append-only"),
        db.session.begin_nested(),
    ):
        db.session.execute(text(sql))


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_entries SET action = 'nothing_happened'",
        "DELETE FROM audit_entries",
        "TRUNCATE audit_entries",
    ],
)
def test_the_database_refuses_to_change_or_remove_audit_entries(app, sql):
    audit.record("something_happened")
    db.session.commit()
    _refused_by_the_database(sql)
    assert db.session.scalar(select(AuditEntry.action)) == "something_happened"


@pytest.mark.postgres_only
def test_the_owner_purges_old_entries_in_one_transaction_and_the_wall_stands_again(app):
    audit.record("old_sign_in")
    audit.record("recent_sign_in")
    db.session.commit()
    db.session.execute(  # only the test can age an entry: it bypasses the trigger to set up
        text("ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only")
    )
    db.session.execute(
        text("UPDATE audit_entries SET at = :at WHERE action = 'old_sign_in'"),
        {"at": datetime(2020, 5, 1, tzinfo=UTC)},
    )
    db.session.execute(text("ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only"))
    with db.session.begin_nested():
        for statement in PURGE_BEFORE_2021_10:
            db.session.execute(text(statement))
    assert list(db.session.scalars(select(AuditEntry.action))) == ["recent_sign_in"]
    _refused_by_the_database("DELETE FROM audit_entries")
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1
