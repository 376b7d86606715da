"""The reply templates every organization starts with (admins edit them later)."""

from __future__ import annotations

from sqlalchemy import select

from app.database import AnySession
from review.models import ReplyTemplate

# title, the move it suits, body: what an officer most often writes, to be adapted before
# sending (migration 0016 holds a literal copy for installs that existed before).
REPLY_TEMPLATES = (
    (
        "ตอบรับเรื่อง",
        "accept",
        "องค์กรได้รับเรื่องของท่านแล้ว และได้มอบหมายให้เจ้าหน้าที่ผู้รับผิดชอบตรวจสอบ "
        "จะแจ้งความคืบหน้าให้ทราบทางช่องทางที่ท่านให้ไว้ ขอบคุณที่แจ้งเรื่องครับ/ค่ะ",
    ),
    (
        "อยู่ระหว่างดำเนินการ",
        "start",
        "เจ้าหน้าที่ได้ลงพื้นที่ตรวจสอบและอยู่ระหว่างดำเนินการแก้ไข "
        "คาดว่าจะแล้วเสร็จภายใน ... วันทำการ จะแจ้งผลให้ทราบอีกครั้ง",
    ),
    (
        "ดำเนินการแล้วเสร็จ",
        "resolve",
        "เจ้าหน้าที่ได้ดำเนินการแก้ไขเรื่องที่ท่านแจ้งเรียบร้อยแล้ว หากยังพบปัญหา "
        "ท่านขอเปิดเรื่องอีกครั้งได้จากลิงก์ติดตามเรื่องภายใน 30 วัน และโปรดให้คะแนนความพึงพอใจ",
    ),
    (
        "ไม่รับเรื่อง",
        "reject",
        "ขออภัย เรื่องที่ท่านแจ้งไม่อยู่ในอำนาจหน้าที่ขององค์กร หรือข้อมูลไม่เพียงพอต่อการตรวจสอบ "
        "เนื่องจาก ... หากมีข้อมูลเพิ่มเติม ท่านแจ้งเรื่องใหม่ได้ทุกช่องทาง",
    ),
    (
        "ส่งต่อหน่วยงานอื่น",
        "forward",
        "เรื่องที่ท่านแจ้งอยู่ในความรับผิดชอบของหน่วยงานอื่น องค์กรได้ส่งเรื่องต่อไปยังหน่วยงานดังกล่าวแล้ว "
        "ท่านติดตามเรื่องได้ที่หน่วยงานนั้นโดยตรง",
    ),
    (
        "ตอบข้อสอบถาม",
        "resolve",
        "ขอบคุณที่สอบถาม ขอเรียนชี้แจงดังนี้ ... หากต้องการข้อมูลเพิ่มเติม ติดต่อองค์กรได้ในวันและเวลาราชการ",
    ),
)


def seed_reply_templates(session: AnySession) -> None:
    """Add the default reply templates to an organization that has none (idempotent)."""
    if session.scalar(select(ReplyTemplate.id).limit(1)) is not None:
        return
    for order, (title, action, body) in enumerate(REPLY_TEMPLATES):
        session.add(ReplyTemplate(title=title, body=body, action=action, sort_order=order))
    session.flush()
