"""Builders of integrity reports for the tests."""

from __future__ import annotations

from typing import Any

from app.extensions import db
from integrity.evidence import new_staging_token, stage_evidence
from integrity.intake import ReportSubmission, SubmittedReport, submit_report
from integrity.models import IntegrityReport, ReportKind
from tests.factories import png_bytes

ACCUSED = "นายสมชาย ใจร้าย ปลัดฝ่ายการคลัง"
DETAILS = "เรียกรับเงินห้าพันบาทเพื่อเร่งออกใบอนุญาตก่อสร้างให้ร้านค้าหน้าตลาด"
REPORTER = "นางสาวผู้แจ้ง กล้าหาญ"
REPORTER_PHONE = "0891112222"


def report_submission(**overrides: Any) -> ReportSubmission:
    """A valid anonymous misconduct report; override any field."""
    values: dict[str, Any] = {
        "kind": ReportKind.MISCONDUCT,
        "about": ACCUSED,
        "details": DETAILS,
        "occurred": "ต้นเดือนตุลาคม 2569",
        "location": "ห้องกองคลัง ชั้น 2",
    }
    values.update(overrides)
    return ReportSubmission(**values)


def make_report(
    with_evidence: bool = False, **overrides: Any
) -> tuple[IntegrityReport, SubmittedReport]:
    """Submit a report through the intake service; return it with what the reporter got."""
    if with_evidence:
        token = new_staging_token()
        stage_evidence(token, "slip.png", png_bytes())
        overrides["staging_token"] = token
    result = submit_report(report_submission(**overrides))
    report = db.session.get(IntegrityReport, result.report_id)
    assert report is not None
    return report, result
