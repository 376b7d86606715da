"""What residents and officers read for each code value (Thai source strings, translated)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from cases.models import CaseKind, Channel, EventType

KIND_LABELS = {
    CaseKind.COMPLAINT: _l("ร้องเรียน"),
    CaseKind.GRIEVANCE: _l("ร้องทุกข์"),
    CaseKind.SUGGESTION: _l("ข้อเสนอแนะ / ความคิดเห็น"),
    CaseKind.QUESTION: _l("สอบถาม"),
}

CHANNEL_LABELS = {
    Channel.WEB: _l("เว็บไซต์"),
    Channel.LINE: _l("LINE"),
    Channel.PHONE: _l("โทรศัพท์"),
    Channel.WALK_IN: _l("มาด้วยตนเอง"),
    Channel.POST: _l("ไปรษณีย์"),
    Channel.SUGGESTION_BOX: _l("ตู้รับความคิดเห็น"),
    Channel.MAYOR_HOTLINE: _l("สายตรงนายก"),
    Channel.FACEBOOK: _l("Facebook"),
    Channel.EMAIL: _l("อีเมล"),
}

EVENT_LABELS = {
    EventType.RECEIVED: _l("ได้รับเรื่อง"),
    EventType.STATUS_CHANGED: _l("เปลี่ยนสถานะ"),
    EventType.REPLY: _l("คำตอบจากเจ้าหน้าที่"),
    EventType.NOTE: _l("บันทึกภายใน"),
    EventType.ASSIGNED: _l("มอบหมายงาน"),
    EventType.ATTACHMENT_ADDED: _l("แนบไฟล์เพิ่ม"),
    EventType.RATED: _l("ประเมินความพึงพอใจ"),
    EventType.REOPENED: _l("เปิดเรื่องอีกครั้ง"),
    EventType.MERGED: _l("รวมกับเรื่องอื่น"),
    EventType.PUBLISHED: _l("เผยแพร่เรื่องบนหน้าสาธารณะ"),
    EventType.PUBLICATION_EDITED: _l("แก้ไขข้อความที่เผยแพร่"),
    EventType.UNPUBLISHED: _l("ซ่อนเรื่องจากหน้าสาธารณะ"),
}
