"""Demo reply templates for ``make run`` (an admin edits or replaces them)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from review.models import ReplyTemplate

DEMO_TEMPLATES = (
    ("รับเรื่องแล้ว", "ได้รับเรื่องของท่านแล้ว เจ้าหน้าที่จะตรวจสอบและแจ้งความคืบหน้าให้ทราบ"),
    ("อยู่ระหว่างดำเนินการ", "เจ้าหน้าที่ลงพื้นที่ตรวจสอบแล้ว อยู่ระหว่างดำเนินการแก้ไข"),
    ("ดำเนินการแล้วเสร็จ", "ดำเนินการแก้ไขเรียบร้อยแล้ว ขอบคุณที่แจ้งเรื่องมา"),
    ("ไม่รับเรื่อง", "เรื่องนี้อยู่นอกอำนาจหน้าที่ของหน่วยงาน จึงขอยุติเรื่อง"),
    ("ส่งต่อหน่วยงานอื่น", "ได้ส่งเรื่องของท่านให้หน่วยงานที่มีอำนาจหน้าที่ดำเนินการแล้ว"),
    ("ตอบคำถาม", "ขอบคุณที่สอบถาม คำตอบของเรื่องที่ท่านถามมีดังนี้"),
)


def seed_demo_templates() -> int:
    """Create the demo templates if there is none yet; return how many were created."""
    if db.session.scalar(select(func.count(ReplyTemplate.id))):
        return 0
    for order, (title, body) in enumerate(DEMO_TEMPLATES):
        db.session.add(ReplyTemplate(title=title, body=body, sort_order=order))
    db.session.commit()
    return len(DEMO_TEMPLATES)
