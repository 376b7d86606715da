"""Demo integrity reports for ``make run``: one in each status, through the real intake."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import func, select

from app.calendar import BANGKOK, local_date
from app.extensions import db
from app.models import utcnow
from app.statuses import Status
from integrity.intake import ReportSubmission, submit_report
from integrity.models import IntegrityReport, Outcome, ReportChannel, ReportKind

# kind, channel, days ago, status, outcome, what was reported
DEMO_REPORTS = (
    (ReportKind.MISCONDUCT, ReportChannel.WEB, 2, Status.RECEIVED, None,
     "เจ้าหน้าที่เรียกเงินเพิ่มเพื่อเร่งออกใบอนุญาตก่อสร้าง"),
    (ReportKind.BUDGET_QUESTION, ReportChannel.WEB, 9, Status.ACCEPTED, None,
     "สอบถามรายละเอียดการจัดซื้อเครื่องออกกำลังกายกลางแจ้ง ราคาสูงกว่าท้องตลาด"),
    (ReportKind.MISCONDUCT, ReportChannel.POST, 30, Status.IN_PROGRESS, None,
     "ผู้รับเหมาก่อสร้างถนนใช้วัสดุไม่ตรงแบบ มีเจ้าหน้าที่ตรวจรับงาน"),
    (ReportKind.BUDGET_OBJECTION, ReportChannel.WEB, 80, Status.CLOSED, Outcome.INVESTIGATED,
     "ทักท้วงการเบิกค่าอาหารอบรมที่จำนวนผู้เข้าร่วมไม่ตรงกับรายชื่อ"),
    (ReportKind.MISCONDUCT, ReportChannel.WALK_IN, 150, Status.CLOSED, Outcome.UNFOUNDED,
     "เจ้าหน้าที่ใช้รถราชการไปธุระส่วนตัวในวันหยุด"),
    (ReportKind.BUDGET_COMPLAINT, ReportChannel.WEB, 200, Status.REJECTED, None,
     "ร้องเรียนการจัดสรรงบประมาณหมู่บ้านไม่เท่ากัน"),
    (ReportKind.MISCONDUCT, ReportChannel.WEB, 260, Status.FORWARDED, None,
     "การจัดซื้อจัดจ้างโครงการขุดลอกคลองมีการสมยอมราคา"),
    (ReportKind.MISCONDUCT, ReportChannel.WEB, 400, Status.CLOSED, Outcome.DISCIPLINARY_ACTION,
     "เจ้าหน้าที่รับเงินค่าธรรมเนียมโดยไม่ออกใบเสร็จ"),
)  # fmt: skip


def seed_demo_reports() -> int:
    """Create the demo reports if there is none yet; return how many were created."""
    if db.session.scalar(select(func.count(IntegrityReport.id))):
        return 0
    today = local_date(utcnow())
    for kind, channel, days_ago, status, outcome, details in DEMO_REPORTS:
        day = today - timedelta(days=days_ago)
        received = datetime.combine(day, time(10, 30), tzinfo=BANGKOK).astimezone(UTC)
        submitted = submit_report(
            ReportSubmission(kind=kind, details=details, channel=channel, received_at=received)
        )
        report = db.session.get(IntegrityReport, submitted.report_id)
        assert report is not None
        report.status, report.outcome = status, outcome
        if status != Status.RECEIVED:
            report.acknowledged_at = received + timedelta(days=1)
        if status in (Status.CLOSED, Status.REJECTED, Status.FORWARDED):
            report.closed_at = received + timedelta(days=min(days_ago - 1, 25))
    db.session.commit()
    return len(DEMO_REPORTS)
