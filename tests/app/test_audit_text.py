"""The audit log and the "who looked" lists read in Thai: words, codes and sentences, no JSON."""

from __future__ import annotations

import re

from review import services
from tests.factories import make_case, make_user
from tests.integrity.conftest import make_report


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr class="audit-row">(.*?)</tr>', html, re.S)


def test_the_audit_log_names_actions_in_thai_cases_by_code_and_details_as_sentences(login_as):
    admin = login_as("admin")
    officer = login_as("officer")
    case, _ = make_case()
    officer.get(f"/staff/cases/{case.id}")
    services.change_status(officer.user, case, "reject", case.version, reason="ไม่อยู่ในอำนาจ")
    html = admin.get("/staff/admin/audit").get_data(as_text=True)
    rows = _rows(html)
    [moved] = [r for r in rows if "เปลี่ยนสถานะเรื่อง" in r]
    assert f"เรื่อง {case.code}" in moved
    assert "ไม่รับเรื่อง: จาก รับเรื่องแล้ว รอตรวจสอบ เป็น ไม่รับเรื่อง" in moved
    assert any("เปิดดูเรื่อง" in r and case.code in r for r in rows)
    assert not any("{" in r or "case_" in r for r in rows)
    # The filter offers the actions by their Thai names.
    assert '<option value="case_status_changed">เปลี่ยนสถานะเรื่อง</option>' in html


def test_failed_sign_ins_and_account_changes_read_as_sentences(login_as, client):
    admin = login_as("admin")
    user = make_user(roles=("officer",))
    client.post("/staff/login", data={"email": user.email, "password": "wrong-password-1"})
    client.post("/staff/login", data={"email": "nobody@example.com", "password": "x"})
    rows = _rows(admin.get("/staff/admin/audit").get_data(as_text=True))
    assert any(f"{user.email}: รหัสผ่านไม่ถูกต้อง" in r for r in rows)
    assert any("อีเมลที่ไม่มีในระบบ" in r and "ไม่พบบัญชีนี้" in r for r in rows)
    assert "nobody@example.com" not in "".join(rows)  # what was typed is never kept
    created = [r for r in rows if "สร้างบัญชีผู้ใช้" in r]
    assert created and "บทบาท: เจ้าหน้าที่" in created[0] and f"บัญชี {user.email}" in created[0]


def test_the_integrity_who_looked_list_reads_in_thai(login_as):
    report, _ = make_report()
    officer = login_as("integrity")
    officer.get(f"/integrity/staff/reports/{report.id}")
    html = officer.get(f"/integrity/staff/reports/{report.id}").get_data(as_text=True)
    who = html.split('id="viewers"')[1].split("</table>")[0]
    assert who.count("เปิดดูเรื่องทุจริต") == 2 and "integrity_report_viewed" not in who


def test_an_entry_of_an_unknown_shape_is_still_readable(app):
    from app.audit import AuditEntry
    from app.audit_text import readable
    from app.models import utcnow

    entry = AuditEntry(
        at=utcnow(),
        action="case_status_changed",
        target_type="case",
        target_id="999999",
        detail={"unexpected": "value"},
    )
    [line] = readable([entry])
    assert line.action == "เปลี่ยนสถานะเรื่อง"
    assert line.target == "เรื่อง 999999"  # a purged case keeps its id
    assert line.detail == "unexpected: value"
