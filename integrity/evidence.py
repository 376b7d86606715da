"""Evidence files: checked, encrypted at rest, staged under a form's token until the report is
sent, and added later by the reporter."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from app import staging, uploads
from app.database import unit_of_work
from app.extensions import db
from app.models import utcnow
from integrity import crypto
from integrity.errors import ReportNotFound
from integrity.models import (
    IntegrityAttachment,
    IntegrityMessage,
    IntegrityReport,
    MessageType,
)

STAGED_FILE_LIFETIME = timedelta(days=1)


@dataclass
class EvidenceResult:
    """Files accepted and refused when the reporter adds evidence."""

    accepted: int = 0
    refused: list[uploads.UploadRefused] = field(default_factory=list)


def evidence_dir() -> Path:
    return Path(current_app.config["UPLOAD_DIR"]) / "integrity"


def new_staging_token() -> str:
    """A random key under which a form's accepted files wait for the submission."""
    return secrets.token_urlsafe(24)


def staged_evidence(staging_token: str | None) -> Sequence[IntegrityAttachment]:
    """Files accepted under ``staging_token`` and not yet attached to a report."""
    if not staging_token:
        return []
    return db.session.scalars(
        select(IntegrityAttachment)
        .where(
            IntegrityAttachment.staging_token == staging_token,
            IntegrityAttachment.report_id.is_(None),
        )
        .order_by(IntegrityAttachment.id)
    ).all()


def _store_evidence(
    filename: str,
    data: bytes,
    already: int,
    added_by: str = "reporter",
    staged_by: str | None = None,
    staged: bool = False,
) -> IntegrityAttachment:
    """Check a file like any attachment, then write it encrypted; raise ``UploadRefused``.

    A ``staged`` file is held to the staging limits: the total, and those of the client
    ``staged_by`` (``None``: no per-client limit).
    """
    config = current_app.config
    if already >= config["MAX_ATTACHMENTS"]:
        raise uploads.UploadRefused(filename, "too_many")
    # Photo metadata (GPS, camera serial) could point at the reporter: always stripped here.
    checked = uploads.check_file(filename, data, uploads.UploadLimits.from_config(config), False)
    if staged:
        try:
            staging.reserve(staged_by, len(checked.data))
        except staging.StagingLimitReached as limit:
            raise uploads.UploadRefused(filename, limit.reason) from limit
    stored_name, _ = uploads.write_file(str(evidence_dir()), crypto.encrypt(checked.data))
    return IntegrityAttachment(
        stored_name=stored_name,
        original_name=checked.download_name,
        content_type=checked.content_type,
        size_bytes=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        added_by=added_by,
    )


def staged_evidence_bytes() -> int:
    """The bytes of every staged evidence file (not yet part of a report, whatever its age)."""
    total = db.session.scalar(
        select(func.coalesce(func.sum(IntegrityAttachment.size_bytes), 0)).where(
            IntegrityAttachment.report_id.is_(None)
        )
    )
    return int(total or 0)


def stage_evidence(
    staging_token: str, filename: str, data: bytes, client: str | None = None
) -> IntegrityAttachment:
    """Keep one checked, encrypted file under ``staging_token`` until the report is sent.

    ``client`` is held to the per-client staging limits (``app.staging``): a keyed hash kept
    only in the rate-limit storage for a day, never with the report.
    """
    already = len(staged_evidence(staging_token))
    with unit_of_work(db.session) as session:
        attachment = _store_evidence(filename, data, already, staged_by=client, staged=True)
        attachment.staging_token = staging_token
        session.add(attachment)
    return attachment


def evidence_bytes(attachment: IntegrityAttachment) -> bytes:
    """The decrypted content of an evidence file; ``ReportNotFound`` if it is gone."""
    path = uploads.file_path(str(evidence_dir()), attachment.stored_name)
    if not path.exists():
        raise ReportNotFound(attachment.id)
    return crypto.decrypt(path.read_bytes())


def delete_files(attachments: Iterable[IntegrityAttachment]) -> int:
    count = 0
    for attachment in attachments:
        uploads.file_path(str(evidence_dir()), attachment.stored_name).unlink(missing_ok=True)
        count += 1
    return count


def add_reporter_evidence(
    report: IntegrityReport, files: Iterable[tuple[str, bytes]]
) -> EvidenceResult:
    """Attach more evidence to ``report``; files that fail the checks are listed, not stored."""
    result = EvidenceResult()
    with unit_of_work(db.session):
        count = len(report.attachments)
        for filename, data in files:
            try:
                attachment = _store_evidence(filename, data, count)
            except uploads.UploadRefused as refusal:
                result.refused.append(refusal)
                continue
            report.attachments.append(attachment)
            count += 1
            result.accepted += 1
        if result.accepted:
            report.messages.append(IntegrityMessage(type=MessageType.EVIDENCE_ADDED))
            report.last_activity_at = utcnow()
    return result
