"""The audit log in words an auditor (สตง.) reads: what was done, to which record, in a sentence.

Entries keep machine names (``case_viewed``, target ``case`` 42, detail as JSON) so that they
can be filtered and never change meaning; this module turns them into Thai for the pages that
show them: action names in words, tracking codes and e-mail addresses instead of internal ids,
and details as sentences.

The kernel knows its own actions (sign-in, accounts, refused requests). Each capability tells it
how to name its records and word its details (``register_target_names``,
``register_sentence``) when its screens are imported, as the staff menu is filled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit import AuditEntry
from app.auth.models import Role, User
from app.extensions import db

ACTION_LABELS: dict[str, object] = {
    "access_denied": _l("ถูกปฏิเสธการเข้าถึง"),
    "csrf_failed": _l("แบบฟอร์มหมดอายุหรือไม่ถูกต้อง"),
    "sign_in": _l("ลงชื่อเข้าใช้"),
    "sign_out": _l("ออกจากระบบ"),
    "sign_in_failed": _l("ลงชื่อเข้าใช้ไม่สำเร็จ"),
    "password_changed": _l("เปลี่ยนรหัสผ่าน"),
    "password_change_refused": _l("เปลี่ยนรหัสผ่านไม่สำเร็จ"),
    "two_factor_enabled": _l("เปิดใช้การยืนยันตัวตนสองขั้นตอน"),
    "two_factor_replaced": _l("เปลี่ยนแอปยืนยันตัวตน"),
    "two_factor_change_refused": _l("เปลี่ยนแอปยืนยันตัวตนไม่สำเร็จ"),
    "recovery_code_used": _l("ใช้รหัสกู้คืน"),
    "user_created": _l("สร้างบัญชีผู้ใช้"),
    "user_updated": _l("แก้ไขบัญชีผู้ใช้"),
    "user_enabled": _l("เปิดใช้บัญชีผู้ใช้"),
    "user_disabled": _l("ปิดบัญชีผู้ใช้"),
    "role_change_refused": _l("ปฏิเสธการเปลี่ยนบทบาท"),
    "integrity_granted": _l("มอบสิทธิ์เจ้าหน้าที่รับเรื่องทุจริต"),
    "integrity_revoked": _l("ถอนสิทธิ์เจ้าหน้าที่รับเรื่องทุจริต"),
    "case_viewed": _l("เปิดดูเรื่อง"),
    "case_entered": _l("บันทึกเรื่องเข้าระบบ"),
    "case_status_changed": _l("เปลี่ยนสถานะเรื่อง"),
    "case_replied": _l("ตอบกลับผู้ร้อง"),
    "case_note_added": _l("บันทึกภายใน"),
    "case_assigned": _l("มอบหมายงาน"),
    "case_merged": _l("รวมเรื่องซ้ำ"),
    "case_published": _l("เผยแพร่เรื่องบนหน้าสาธารณะ"),
    "case_publication_edited": _l("แก้ไขข้อความที่เผยแพร่"),
    "case_unpublished": _l("ซ่อนเรื่องจากหน้าสาธารณะ"),
    "case_forwarded": _l("ส่งต่อเรื่องให้หน่วยงานในระบบ"),
    "case_received_forwarded": _l("รับเรื่องที่หน่วยงานในระบบส่งต่อมา"),
    "attachment_downloaded": _l("เปิดไฟล์แนบ"),
    "reply_template_saved": _l("บันทึกข้อความสำเร็จรูป"),
    "category_saved": _l("บันทึกหมวดเรื่อง"),
    "department_saved": _l("บันทึกหน่วยงาน"),
    "integrity_report_viewed": _l("เปิดดูเรื่องทุจริต"),
    "integrity_report_entered": _l("บันทึกเรื่องทุจริตเข้าระบบ"),
    "integrity_status_changed": _l("เปลี่ยนสถานะเรื่องทุจริต"),
    "integrity_message_sent": _l("ส่งข้อความถึงผู้แจ้ง"),
    "integrity_note_added": _l("บันทึกภายในเรื่องทุจริต"),
    "integrity_evidence_downloaded": _l("เปิดไฟล์หลักฐาน"),
    "notification_retried": _l("ส่งการแจ้งเตือนใหม่"),
    "notification_retried_all": _l("ส่งการแจ้งเตือนที่ไม่สำเร็จใหม่ทั้งหมด"),
    "notification_contact_changed": _l("เปลี่ยนช่องทางรับการแจ้งเตือน"),
    "report.exported": _l("ส่งออกรายงาน"),
}

TARGET_LABELS: dict[str, object] = {
    "case": _l("เรื่อง"),
    "integrity_report": _l("เรื่องทุจริต"),
    "user": _l("บัญชี"),
    "notification": _l("การแจ้งเตือน"),
    "reply_template": _l("ข้อความสำเร็จรูป"),
    "categories": _l("หมวดเรื่อง"),
    "departments": _l("หน่วยงาน"),
    "report": _l("รายงานรอบ"),
}

REASONS: dict[str, object] = {
    "wrong_password": _l("รหัสผ่านไม่ถูกต้อง"),
    "unknown_account": _l("ไม่พบบัญชีนี้"),
    "disabled": _l("บัญชีถูกปิดใช้งาน"),
    "throttled": _l("ผิดหลายครั้ง ระงับไว้ชั่วคราว"),
    "wrong_second_factor": _l("รหัสยืนยันไม่ถูกต้อง"),
    "own_roles": _l("ผู้ดูแลระบบเปลี่ยนบทบาทของตนเองไม่ได้"),
    "integrity_not_grantable_on_web": _l("มอบสิทธิ์เรื่องทุจริตผ่านหน้าเว็บไม่ได้"),
}

ROLE_WORDS: dict[str, object] = {
    Role.OFFICER: _l("เจ้าหน้าที่"),
    Role.SUPERVISOR: _l("หัวหน้าส่วน"),
    Role.INTEGRITY: _l("เจ้าหน้าที่รับเรื่องทุจริต"),
    Role.EXECUTIVE: _l("ผู้บริหาร"),
    Role.ADMIN: _l("ผู้ดูแลระบบ"),
}

# target ids (as stored, strings) -> how people name those records (a code, an e-mail)
TargetNamer = Callable[[list[str]], dict[str, str]]
# an entry's detail -> one sentence
Sentence = Callable[[dict[str, Any]], str]

_NAMERS: dict[str, TargetNamer] = {}
_SENTENCES: dict[str, Sentence] = {}


def register_target_names(target_type: str, namer: TargetNamer) -> None:
    """Name records of ``target_type`` by ``namer`` (e.g. cases by tracking code)."""
    _NAMERS[target_type] = namer


def register_sentence(action: str, sentence: Sentence) -> None:
    """Word the detail of ``action`` entries with ``sentence``."""
    _SENTENCES[action] = sentence


@dataclass(frozen=True)
class AuditLine:
    """One audit entry as a page shows it."""

    entry: AuditEntry
    action: str
    target: str
    detail: str


def action_label(action: str) -> str:
    """The Thai name of ``action`` (the machine name itself if it has none yet)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action


def _user_emails(ids: list[str]) -> dict[str, str]:
    numbers = [int(i) for i in ids if i.isdigit()]
    rows = db.session.execute(select(User.id, User.email).where(User.id.in_(numbers)))
    return {str(user_id): email for user_id, email in rows}


def _roles(values: object) -> str:
    if not isinstance(values, list) or not values:
        return "—"
    return ", ".join(str(ROLE_WORDS.get(v, v)) for v in values)


def _reason(value: object) -> str:
    return str(REASONS.get(str(value), value))


def _generic(detail: dict[str, Any]) -> str:
    """Any other detail: "key: value" pairs, never JSON braces."""
    return " · ".join(f"{key}: {value}" for key, value in detail.items())


def _refused_request(detail: dict[str, Any]) -> str:
    return _(
        "คำขอ %(method)s ไปที่ %(path)s", method=detail.get("method", ""), path=detail.get("path", "")
    )


def _failed_sign_in(detail: dict[str, Any]) -> str:
    who = detail.get("email") or _(
        "อีเมลที่ไม่มีในระบบ (รหัสอ้างอิง %(ref)s)", ref=str(detail.get("identifier_hmac", ""))[:8]
    )
    return _("%(who)s: %(reason)s", who=who, reason=_reason(detail.get("reason")))


def _account(detail: dict[str, Any]) -> str:
    text = _("บทบาท: %(roles)s", roles=_roles(detail.get("roles")))
    if detail.get("departments"):
        text += " · " + _("หน่วยงาน: %(codes)s", codes=", ".join(detail["departments"]))
    before = detail.get("before")
    if isinstance(before, dict) and "roles" in before:
        text = _("บทบาทเดิม: %(old)s", old=_roles(before["roles"])) + " → " + text
    if detail.get("password_reset"):
        text += " · " + _("ตั้งรหัสผ่านใหม่")
    if detail.get("active") is False:
        text += " · " + _("ปิดใช้งาน")
    return text


def _role_refused(detail: dict[str, Any]) -> str:
    return _(
        "%(reason)s (ขอ: %(wanted)s)",
        reason=_reason(detail.get("reason")),
        wanted=_roles(detail.get("wanted")),
    )


_KERNEL_SENTENCES: dict[str, Sentence] = {
    "access_denied": _refused_request,
    "csrf_failed": _refused_request,
    "sign_in_failed": _failed_sign_in,
    "password_change_refused": _failed_sign_in,
    "two_factor_change_refused": _failed_sign_in,
    "user_created": _account,
    "user_updated": _account,
    "integrity_granted": _account,
    "integrity_revoked": _account,
    "role_change_refused": _role_refused,
    "notification_retried_all": lambda d: _("%(n)s รายการ", n=d.get("count", 0)),
}


def _detail(entry: AuditEntry) -> str:
    detail = entry.detail or {}
    if not detail:
        return ""
    sentence = _SENTENCES.get(entry.action) or _KERNEL_SENTENCES.get(entry.action) or _generic
    try:
        return sentence(detail)
    except (KeyError, TypeError, ValueError):  # an older entry's shape: still readable
        return _generic(detail)


def _target_names(entries: Sequence[AuditEntry]) -> dict[tuple[str, str], str]:
    """One query per kind of record named: (type, id) -> its code or e-mail."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.target_type and entry.target_id:
            wanted.setdefault(entry.target_type, set()).add(entry.target_id)
    names = {}
    for target_type, ids in wanted.items():
        namer = _NAMERS.get(target_type, _user_emails if target_type == "user" else None)
        if namer is None:
            continue
        for target_id, name in namer(sorted(ids)).items():
            names[(target_type, target_id)] = name
    return names


def readable(entries: Sequence[AuditEntry]) -> list[AuditLine]:
    """``entries`` in words: Thai action names, named records, sentences."""
    names = _target_names(entries)
    lines = []
    for entry in entries:
        target = ""
        if entry.target_type:
            kind = str(TARGET_LABELS.get(entry.target_type, entry.target_type))
            name = names.get((entry.target_type, entry.target_id or ""), entry.target_id or "")
            target = f"{kind} {name}".strip()
        lines.append(AuditLine(entry, action_label(entry.action), target, _detail(entry)))
    return lines
