"""The reply templates every organization starts with (admins edit them later)."""

from __future__ import annotations

from sqlalchemy import select

from app.database import AnySession
from review.models import ReplyTemplate

# title, body: what an officer most often writes, to be adapted before sending
REPLY_TEMPLATES = (
    (
        "รับเรื่องแล้ว",
        "หน่วยงานได้รับเรื่องของท่านแล้ว และได้ส่งให้กองที่รับผิดชอบดำเนินการ จะแจ้งความคืบหน้าให้ทราบต่อไป",
    ),
    (
        "ลงพื้นที่ตรวจสอบ",
        "เจ้าหน้าที่จะลงพื้นที่ตรวจสอบภายในวันที่ ... และจะแจ้งผลให้ท่านทราบ",
    ),
    (
        "ดำเนินการแล้วเสร็จ",
        "หน่วยงานได้ดำเนินการแก้ไขเรื่องของท่านเรียบร้อยแล้ว ขอบคุณที่แจ้งให้ทราบ",
    ),
    (
        "ไม่อยู่ในอำนาจหน้าที่",
        "เรื่องนี้อยู่ในความรับผิดชอบของ ... หน่วยงานได้ส่งต่อเรื่องให้แล้ว ท่านติดต่อได้ที่ ...",
    ),
    (
        "ขอข้อมูลเพิ่มเติม",
        "เพื่อดำเนินการต่อ ขอให้ท่านแจ้งข้อมูลเพิ่มเติม ได้แก่ ...",
    ),
)


def seed_reply_templates(session: AnySession) -> None:
    """Add the default reply templates to an organization that has none (idempotent)."""
    if session.scalar(select(ReplyTemplate.id).limit(1)) is not None:
        return
    for order, (title, body) in enumerate(REPLY_TEMPLATES):
        session.add(ReplyTemplate(title=title, body=body, sort_order=order))
    session.flush()
