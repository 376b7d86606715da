"""How the audit log names integrity reports (by their code) and words their details."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit_text import register_sentence, register_target_names
from app.extensions import db
from integrity.casework import TARGET
from integrity.labels import CHANNEL_LABELS, OUTCOME_LABELS
from integrity.models import IntegrityReport
from integrity.workflow import ACTION_LABELS, INTEGRITY_WORKFLOW


def report_codes(ids: list[str]) -> dict[str, str]:
    """Stored report ids -> report codes (``I70-000001``)."""
    numbers = [int(i) for i in ids if i.isdigit()]
    rows = db.session.execute(
        select(IntegrityReport.id, IntegrityReport.code).where(IntegrityReport.id.in_(numbers))
    )
    return {str(report_id): code for report_id, code in rows}


def _moved(detail: dict[str, Any]) -> str:
    action = str(ACTION_LABELS.get(detail["action"], detail["action"]))
    text = _(
        "%(action)s: เป็น %(status)s",
        action=action,
        status=str(INTEGRITY_WORKFLOW.status_labels.get(detail["to"], detail["to"])),
    )
    if detail.get("outcome"):
        text += " · " + str(OUTCOME_LABELS.get(detail["outcome"], detail["outcome"]))
    return text


def register() -> None:
    """Tell the audit log how to read the integrity track's entries."""
    register_target_names(TARGET, report_codes)
    register_sentence("integrity_status_changed", _moved)
    register_sentence(
        "integrity_evidence_downloaded",
        lambda d: _("ไฟล์หลักฐานหมายเลข %(id)s", id=d["attachment_id"]),
    )
    register_sentence(
        "integrity_report_entered",
        lambda d: _("ช่องทาง: %(channel)s", channel=CHANNEL_LABELS.get(d["channel"], d["channel"])),
    )
