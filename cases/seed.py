"""Default departments and categories of an อบต. (data, editable by admins later).

Migration 0012 inserts the same rows into an empty installation (a literal copy: migrations do
not import app code); ``tests/app/test_reference_data.py`` checks that the two stay equal.
"""

from __future__ import annotations

from sqlalchemy import select

from app.database import AnySession
from app.models import Department
from cases.models import Category

DEPARTMENTS = (
    ("office", "สำนักปลัด", "Office of the Permanent Secretary"),
    ("finance", "กองคลัง", "Finance Division"),
    ("works", "กองช่าง", "Public Works Division"),
    ("education", "กองการศึกษา ศาสนาและวัฒนธรรม", "Education, Religion and Culture Division"),
    ("health", "กองสาธารณสุขและสิ่งแวดล้อม", "Public Health and Environment Division"),
)

# code, Thai, English, default department, acknowledge days, answer days
CATEGORIES = (
    ("roads", "ถนน สะพาน ทางเท้า", "Roads and bridges", "works", 3, 15),
    ("water", "น้ำประปา", "Water supply", "works", 3, 15),
    ("lights", "ไฟฟ้าส่องสว่าง ไฟฟ้าสาธารณะ", "Street lights and electricity", "works", 3, 15),
    ("waste", "ขยะมูลฝอย", "Waste collection", "health", 3, 15),
    ("drainage", "ท่อระบายน้ำ น้ำท่วมขัง", "Drainage and flooding", "works", 3, 15),
    ("health", "สาธารณสุข โรคติดต่อ", "Public health", "health", 3, 15),
    ("nuisance", "เสียงดัง กลิ่น เหตุรำคาญ", "Noise and nuisance", "health", 3, 15),
    ("animals", "สัตว์จรจัด สัตว์เลี้ยง", "Animals", "health", 3, 15),
    ("welfare", "สวัสดิการ เบี้ยยังชีพ", "Welfare and allowances", "office", 3, 15),
    ("taxes", "ภาษีและค่าธรรมเนียม", "Taxes and fees", "finance", 3, 15),
    ("staff", "การให้บริการของเจ้าหน้าที่", "Staff service", "office", 3, 15),
    ("other", "เรื่องอื่น ๆ", "Other", "office", 3, 15),
)


def seed_reference_data(session: AnySession) -> None:
    """Add the default departments and categories that are missing (idempotent).

    A seeder of ``create_organization`` (``app.organizations.services.register_seeder``): it adds
    to the caller's unit of work and commits nothing, so a body is made whole or not at all.
    """
    departments = {d.code: d for d in session.scalars(select(Department))}
    for code, name_th, name_en in DEPARTMENTS:
        if code not in departments:
            departments[code] = Department(code=code, name_th=name_th, name_en=name_en)
            session.add(departments[code])
    session.flush()
    existing = set(session.scalars(select(Category.code)))
    for order, (code, name_th, name_en, dept, ack, answer) in enumerate(CATEGORIES):
        if code not in existing:
            session.add(
                Category(
                    code=code,
                    name_th=name_th,
                    name_en=name_en,
                    department_id=departments[dept].id,
                    acknowledge_days=ack,
                    answer_days=answer,
                    sort_order=order,
                )
            )
    session.flush()
