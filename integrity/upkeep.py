"""Keys and retention: rotating the master and the bodies' keys, purging reports past retention."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from sqlalchemy import column, delete, select, table, update

from app import uploads
from app.database import unit_of_work
from app.extensions import db
from app.models import utcnow
from app.organizations.scope import organization_scope
from app.organizations.services import all_organizations
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


@dataclass(frozen=True)
class RotationResult:
    """What a key rotation did: data keys (re-)wrapped, values and files re-encrypted."""

    keys: int
    values: int
    files: int


# Re-encrypts one token, or returns None to leave it as it is.
Recrypt = Callable[[bytes], bytes | None]


def rotate_keys() -> RotationResult:
    """Master-key rotation: re-wrap every body's data key under the first ``INTEGRITY_KEY``.

    Cheap: the reports themselves are untouched, except values and files still under a master key
    directly (written before bodies had keys), which move to their body's key. Safe to re-run.
    """
    session = db.session
    master = crypto.master()
    keys = values = files = 0
    for organization in all_organizations(session):
        with organization_scope(organization.id):
            wrapped = crypto.stored_wrapped_key(session.connection(), organization.id)
            if wrapped is not None:
                crypto.store_wrapped_key(
                    session.connection(), organization.id, master.rotate(wrapped.encode()).decode()
                )
                keys += 1
            body = crypto.organization_key(organization.id)
            assert body is not None  # made above if the body had none
            moved = _recrypt(organization.id, _legacy_to(body))
            values, files = values + moved[0], files + moved[1]
    return RotationResult(keys=keys, values=values, files=files)


def rotate_organization_key(organization_id: int) -> RotationResult:
    """Give one body a new data key and re-encrypt its values and files; others are untouched."""
    with organization_scope(organization_id):
        old = crypto.keys_for(organization_id)
        wrapped = crypto.wrap_new_key()
        new = MultiFernet([crypto.unwrap(organization_id, wrapped), *old])
        values, files = _recrypt(organization_id, new.rotate, wrapped=wrapped)
    return RotationResult(keys=1, values=values, files=files)


def _legacy_to(body: Fernet) -> Recrypt:
    """Move a token made under a master key to ``body``; leave one already under it."""
    cipher = MultiFernet([body, *crypto.master_keys()])

    def recrypt(token: bytes) -> bytes | None:
        try:
            body.decrypt(token)
        except InvalidToken:
            return cipher.rotate(token)  # keeps the token's original timestamp
        return None

    return recrypt


def _recrypt(organization_id: int, recrypt: Recrypt, wrapped: str | None = None) -> tuple[int, int]:
    """Re-encrypt one body's values and evidence files; store ``wrapped`` as its key; commit.

    Works on the raw tokens (plain ``Text`` columns here), so nothing is decrypted into the ORM.
    Files are written beside the originals and swapped in only once the database committed, so
    a failed run leaves every file readable under the key the database still holds.
    """
    session = db.session
    values = 0
    for table_name, names in ENCRYPTED_COLUMNS.items():
        raw = table(table_name, column("id"), column("organization_id"), *map(column, names))
        rows = session.execute(
            select(raw.c.id, *(raw.c[name] for name in names)).where(
                raw.c.organization_id == organization_id
            )
        ).all()
        for row in rows:
            changes = {}
            for name, token in row._mapping.items():
                if name != "id" and token is not None:
                    changed = recrypt(token.encode())
                    if changed is not None:
                        changes[name] = changed.decode()
            if changes:
                session.execute(update(raw).where(raw.c.id == row.id).values(**changes))
                values += len(changes)
    swaps: list[tuple[Path, Path]] = []
    # Names only: loading the rows would decrypt ``original_name``, re-encrypted above already.
    for stored_name in session.scalars(select(IntegrityAttachment.stored_name)):
        path = uploads.file_path(str(evidence_dir()), stored_name)
        changed = recrypt(path.read_bytes()) if path.exists() else None
        if changed is not None:
            temporary = path.with_suffix(".rotating")
            temporary.write_bytes(changed)
            swaps.append((temporary, path))
    try:
        if wrapped is not None:
            crypto.store_wrapped_key(session.connection(), organization_id, wrapped)
        session.commit()
    except Exception:
        for temporary, _path in swaps:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, path in swaps:
        temporary.replace(path)
    return values, len(swaps)


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
    with unit_of_work(session):
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
    return PurgeResult(reports=len(expired), files=files)
