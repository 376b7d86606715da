"""Several workers at once on PostgreSQL: every message is sent exactly once.

These workers commit for real (outside the per-test transaction), as separate worker processes
would; the test deletes what it created.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import sessionmaker

from app.extensions import db
from app.outbox import Notification, NotificationStatus
from notifications.worker import worker_for

MESSAGES = 1000


@pytest.mark.postgres_only
def test_two_workers_draining_a_thousand_messages_send_each_exactly_once(mail_app, smtp_server):
    committed = sessionmaker(bind=db.engine, expire_on_commit=False)
    recipients = [f"officer{n}@example.com" for n in range(MESSAGES)]
    with committed() as session:
        ids = session.scalars(
            insert(Notification).returning(Notification.id),
            [
                {"channel": "email", "recipient": r, "template": "integrity_report_received"}
                for r in recipients
            ],
        ).all()
        session.commit()
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with mail_app.app_context():
                worker = worker_for(mail_app.config, committed)
                worker.batch_size = 10
                start.wait()
                worker.drain()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    try:
        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert errors == []
        received = Counter(m["To"] for m in smtp_server.messages)
        assert set(received) == set(recipients)
        assert set(received.values()) == {1}
        with committed() as session:
            statuses = dict(
                session.execute(
                    select(Notification.status, func.count())
                    .where(Notification.id.in_(ids))
                    .group_by(Notification.status)
                ).all()
            )
            assert statuses == {NotificationStatus.SENT: MESSAGES}
    finally:
        with committed() as session:
            session.execute(delete(Notification).where(Notification.id.in_(ids)))
            session.commit()
