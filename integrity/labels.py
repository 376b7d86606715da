"""Thai labels of the integrity track's code values (translated through the catalogue)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from integrity.models import MessageType, Outcome, ReportChannel, ReportKind

KIND_LABELS = {
    ReportKind.MISCONDUCT: _l("การทุจริตและประพฤติมิชอบ"),
    ReportKind.BUDGET_QUESTION: _l("สอบถามการใช้จ่ายงบประมาณ"),
    ReportKind.BUDGET_OBJECTION: _l("ทักท้วงการใช้จ่ายงบประมาณ"),
    ReportKind.BUDGET_COMPLAINT: _l("ร้องเรียนการใช้จ่ายงบประมาณ"),
}

CHANNEL_LABELS = {
    ReportChannel.WEB: _l("เว็บไซต์"),
    ReportChannel.POST: _l("ไปรษณีย์"),
    ReportChannel.WALK_IN: _l("มาด้วยตนเอง"),
}

OUTCOME_LABELS = {
    Outcome.INVESTIGATED: _l("ตรวจสอบข้อเท็จจริงแล้ว"),
    Outcome.DISCIPLINARY_ACTION: _l("ดำเนินการทางวินัย"),
    Outcome.REFERRED_NACC: _l("ส่งเรื่องให้ ป.ป.ช."),
    Outcome.UNFOUNDED: _l("ไม่มีมูล"),
}

MESSAGE_LABELS = {
    MessageType.RECEIVED: _l("ได้รับเรื่อง"),
    MessageType.FROM_REPORTER: _l("ข้อความจากผู้แจ้ง"),
    MessageType.TO_REPORTER: _l("ข้อความจากเจ้าหน้าที่"),
    MessageType.NOTE: _l("บันทึกภายใน"),
    MessageType.STATUS_CHANGED: _l("เปลี่ยนสถานะ"),
    MessageType.EVIDENCE_ADDED: _l("แนบหลักฐานเพิ่ม"),
}
