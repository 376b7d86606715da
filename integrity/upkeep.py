"""Keys and retention: re-encrypting under a new key, purging reports past their retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import column, delete, select, table, update

from app import uploads
from app.extensions import db
from app.models import utcnow
from integrity import crypto
from integrity.evidence import STAGED_FILE_LIFETIME, delete_files, evidence_dir
from integrity.models import (
    IntegrityAttachment,
    IntegrityReport,
)

# Every encrypted column, by table: what ``rotate_keys`` re-encrypts.
ENCRYPTED_COLUMNS = {
    "integrity_reports": (
        "about",
        "details",
        "occurred",
        "location",
        "reporter_name",
        "reporter_contact",
        "news_email",
    ),
    "integrity_messages": ("body",),
    "integrity_attachments": ("original_name",),
}


def rotate_keys() -> tuple[int, int]:
    """Re-encrypt every value and evidence file under the first key; return (values, files).

    Works on the raw tokens (plain ``Text`` columns here), so nothing is decrypted into the
    ORM and rows are rewritten only where a value exists.
    """
    session = db.session
    values = 0
    for table_name, names in ENCRYPTED_COLUMNS.items():
        raw = table(table_name, column("id"), *(column(name) for name in names))
        for row in session.execute(select(raw)).all():
            changes = {
                name: crypto.rotate(token.encode()).decode()
                for name, token in row._mapping.items()
                if name != "id" and token is not None
            }
            if changes:
                session.execute(update(raw).where(raw.c.id == row.id).values(**changes))
                values += len(changes)
    files = 0
    for attachment in session.scalars(select(IntegrityAttachment)):
        path = uploads.file_path(str(evidence_dir()), attachment.stored_name)
        if path.exists():
            temporary = path.with_suffix(".rotating")
            temporary.write_bytes(crypto.rotate(path.read_bytes()))
            temporary.replace(path)
            files += 1
    session.commit()
    return values, files


@dataclass(frozen=True)
class PurgeResult:
    """What ``purge_expired`` removed."""

    reports: int
    files: int


def purge_expired(now: datetime | None = None) -> PurgeResult:
    """Purge the content of reports closed longer ago than the retention period.

    Kind, channel, status, outcome and dates stay, so the counts of past rounds do not change;
    everything typed, every file, every message and the receipt go. Also removes evidence of
    forms never sent. Idempotent.
    """
    now = now or utcnow()
    session = db.session
    cutoff = now - timedelta(days=current_app.config["INTEGRITY_RETENTION_DAYS"])
    expired = session.scalars(
        select(IntegrityReport).where(
            IntegrityReport.closed_at < cutoff, IntegrityReport.purged_at.is_(None)
        )
    ).all()
    files = 0
    for report in expired:
        files += delete_files(report.attachments)
        session.execute(
            delete(IntegrityAttachment).where(IntegrityAttachment.report_id == report.id)
        )
        report.messages.clear()
        for name in ENCRYPTED_COLUMNS["integrity_reports"]:
            setattr(report, name, None)
        report.content_digest = None
        report.receipt_hash = ""
        report.reporter_session = None
        report.purged_at = now
    stale = session.scalars(
        select(IntegrityAttachment).where(
            IntegrityAttachment.report_id.is_(None),
            IntegrityAttachment.created_at < now - STAGED_FILE_LIFETIME,
        )
    ).all()
    files += delete_files(stale)
    session.execute(
        delete(IntegrityAttachment).where(IntegrityAttachment.id.in_([a.id for a in stale]))
    )
    session.commit()
    return PurgeResult(reports=len(expired), files=files)
