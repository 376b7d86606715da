"""The audit log: stamped with user, time and IP, and append-only."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

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
