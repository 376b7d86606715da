"""The demo province's hand-off (``flask seed --demo``): a canal in หนองระเวียง reported to
อบต.จอหอ, forwarded to อบต.หนองระเวียง, accepted and answered there. Both bodies' queues and
timelines show it, and the resident's link at จอหอ shows หนองระเวียง's progress."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.services import user_by_email
from app.extensions import db
from app.organizations.demo import NEIGHBOUR, demo_province_bodies
from app.organizations.scope import organization_scope
from cases.models import Case, CaseKind, Category, Channel
from cases.services import CaseSubmission, submit_case
from review import services

FORWARDED_BY = "supervisor@demo.example.com"  # ปลัด อบต.จอหอ
REASON = "คลองสายนี้อยู่ในเขตตำบลหนองระเวียง จึงส่งต่อให้ อบต.หนองระเวียง ดำเนินการ"
ANSWER = "รับเรื่องแล้ว กองช่างจะนำรถแบ็กโฮเข้าขุดลอกคลองภายในสัปดาห์นี้"


def seed_demo_forward() -> int:
    """Forward the canal case once; return 1 if it was made now, 0 if it exists (or the
    neighbour or the forwarding supervisor does not)."""
    if db.session.scalar(select(Case.id).where(Case.forwarded_to_case_id.is_not(None)).limit(1)):
        return 0
    neighbour = next((o for body, o in demo_province_bodies() if body is NEIGHBOUR), None)
    supervisor = user_by_email(FORWARDED_BY)
    drainage = db.session.scalar(select(Category.id).where(Category.code == "drainage"))
    if neighbour is None or supervisor is None:
        return 0
    result = submit_case(
        CaseSubmission(
            kind=CaseKind.COMPLAINT,
            channel=Channel.PHONE,
            category_id=drainage,
            subject="คลองส่งน้ำหลังตลาดหนองระเวียงตื้นเขิน",
            details="คลองส่งน้ำหลังตลาดหนองระเวียงมีผักตบชวาเต็ม น้ำไม่ไหล ฝนตกแล้วท่วมบ้านริมคลอง",
            contact_name="สมพร ริมคลอง",
            contact_phone="0812345670",
        )
    )
    case = db.session.get(Case, result.case_id)
    assert case is not None
    made = services.forward_to_body(supervisor, case, neighbour.id, REASON, case.version)
    with organization_scope(neighbour.id):
        officer = user_by_email(NEIGHBOUR.users[1][0])  # its ปลัด, who sees every case
        there = db.session.get(Case, made.id)
        assert officer is not None and there is not None
        services.change_status(officer, there, "accept", there.version)
        services.reply(officer, there, ANSWER, there.version)
    return 1
