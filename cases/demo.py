"""Demo cases for ``make run``: a few realistic Thai cases, created once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from cases.models import Case, CaseKind, Category, Channel
from cases.services import CaseSubmission, submit_case

DEMO_CASES = (
    (
        CaseKind.COMPLAINT,
        Channel.WEB,
        "roads",
        "ถนนหมู่ 3 เป็นหลุมลึก",
        "ถนนหน้าวัดหมู่ 3 เป็นหลุมลึกหลายจุด รถจักรยานยนต์ล้มบ่อยในช่วงกลางคืน",
    ),
    (
        CaseKind.GRIEVANCE,
        Channel.PHONE,
        "water",
        "น้ำประปาไม่ไหล 3 วัน",
        "บ้านเลขที่ 45 หมู่ 7 น้ำประปาไม่ไหลมา 3 วันแล้ว ผู้สูงอายุในบ้านเดือดร้อน",
    ),
    (
        CaseKind.SUGGESTION,
        Channel.SUGGESTION_BOX,
        "waste",
        "ขอเพิ่มถังขยะที่ตลาด",
        "อยากให้เพิ่มถังขยะแยกประเภทบริเวณตลาดนัดวันพุธ เพราะขยะล้นทุกสัปดาห์",
    ),
    (
        CaseKind.QUESTION,
        Channel.WEB,
        "welfare",
        "สอบถามการลงทะเบียนเบี้ยยังชีพ",
        "แม่จะอายุครบ 60 ปีเดือนหน้า ต้องเตรียมเอกสารอะไรบ้างเพื่อลงทะเบียนเบี้ยยังชีพผู้สูงอายุ",
    ),
)


def seed_demo_cases() -> int:
    """Create the demo cases if the database has no case yet; return how many were created."""
    if db.session.scalar(select(func.count(Case.id))):
        return 0
    categories = {c.code: c.id for c in db.session.scalars(select(Category))}
    for kind, channel, category, subject, details in DEMO_CASES:
        submit_case(
            CaseSubmission(
                kind=kind,
                channel=channel,
                category_id=categories[category],
                subject=subject,
                details=details,
                privacy_acknowledged=True,
            )
        )
    return len(DEMO_CASES)
