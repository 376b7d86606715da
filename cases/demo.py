"""Demo cases for ``make run``: two fiscal years and the current round of realistic cases.

Every channel, kind and category appears in every round; cases are acknowledged and answered
on time and late, rated, forwarded, rejected, merged, and some of the recent ones are still
open, so the queue, the report and the statistics show real content on a fresh machine.
Deterministic (a fixed random seed), created once, written in one transaction (a few seconds).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from app.calendar import BANGKOK, add_working_days, fiscal_year_be, local_date
from app.extensions import db
from app.models import utcnow
from app.organizations.scope import organization_scope
from app.statuses import Status
from cases.models import Case, CaseEvent, CaseKind, Category, Channel, EventType
from cases.services import CaseSubmission, new_case_row

CASES_PER_ROUND = 60
RANDOM_SEED = 2569

# category code -> (subject, details) written as residents write them.
TEXTS: dict[str, tuple[tuple[str, str], ...]] = {
    "roads": (
        ("ถนนหมู่ 3 เป็นหลุมลึก", "ถนนหน้าวัดหมู่ 3 เป็นหลุมลึกหลายจุด รถจักรยานยนต์ล้มบ่อย"),
        ("สะพานไม้ชำรุด", "สะพานข้ามลำห้วยหมู่ 8 ไม้ผุ เด็กนักเรียนเดินผ่านทุกวัน"),
        ("ถนนลูกรังเป็นร่อง", "ฝนตกแล้วถนนลูกรังเข้าหมู่บ้านเป็นร่องลึก รถเข้าออกลำบาก"),
    ),
    "water": (
        ("น้ำประปาไม่ไหล", "บ้านเลขที่ 45 หมู่ 7 น้ำประปาไม่ไหลมา 3 วันแล้ว ผู้สูงอายุเดือดร้อน"),
        ("น้ำประปาขุ่น", "น้ำประปาหมู่ 2 มีตะกอนสีเหลือง ใช้อาบไม่ได้"),
        ("ท่อประปาแตก", "ท่อประปาริมถนนแตก น้ำไหลทิ้งตลอดคืน"),
    ),
    "lights": (
        ("ไฟถนนดับ", "ไฟถนนซอยข้างโรงเรียนดับทั้งแนว กลางคืนมืดมาก"),
        ("ขอติดตั้งไฟส่องสว่าง", "ทางเข้าหมู่ 5 ไม่มีไฟส่องสว่าง เกิดอุบัติเหตุบ่อย"),
    ),
    "waste": (
        ("ขยะไม่ได้เก็บ", "รถเก็บขยะไม่มาเก็บหมู่ 6 มาสองรอบแล้ว ขยะล้นถัง"),
        ("ขอเพิ่มถังขยะที่ตลาด", "อยากให้เพิ่มถังขยะแยกประเภทบริเวณตลาดนัดวันพุธ"),
    ),
    "drainage": (
        ("น้ำท่วมขังหน้าบ้าน", "ท่อระบายน้ำอุดตัน ฝนตกแล้วน้ำท่วมขังสูงครึ่งเข่า"),
        ("ขอลอกท่อระบายน้ำ", "ท่อระบายน้ำหน้าตลาดมีเศษขยะอุดตัน ส่งกลิ่นเหม็น"),
    ),
    "health": (
        ("ยุงลายชุกชุม", "หมู่ 4 มีผู้ป่วยไข้เลือดออก ขอให้พ่นหมอกควันกำจัดยุง"),
        ("ขอรับวัคซีนพิษสุนัขบ้า", "สอบถามวันฉีดวัคซีนพิษสุนัขบ้าให้สุนัขที่บ้าน"),
    ),
    "nuisance": (
        ("เสียงดังจากโรงงาน", "โรงงานอัดเม็ดพลาสติกเดินเครื่องกลางดึก เสียงดังนอนไม่ได้"),
        ("กลิ่นเหม็นจากฟาร์มหมู", "ฟาร์มหมูท้ายหมู่บ้านส่งกลิ่นเหม็นมาก"),
    ),
    "animals": (
        ("สุนัขจรจัดกัดคน", "สุนัขจรจัดฝูงใหญ่หน้าโรงเรียน กัดเด็กไปแล้วหนึ่งคน"),
        ("งูเข้าบ้าน", "มีงูเห่าเข้ามาในบ้าน ขอความช่วยเหลือจับงู"),
    ),
    "welfare": (
        ("สอบถามการลงทะเบียนเบี้ยยังชีพ", "แม่จะอายุครบ 60 ปีเดือนหน้า ต้องเตรียมเอกสารอะไรบ้าง"),
        ("เบี้ยความพิการยังไม่ได้รับ", "ลงทะเบียนเบี้ยความพิการแล้วแต่ยังไม่ได้รับเงิน"),
    ),
    "taxes": (
        ("สอบถามภาษีที่ดิน", "ได้รับแบบแจ้งภาษีที่ดินและสิ่งปลูกสร้าง ยอดสูงกว่าปีก่อน"),
        ("ขอผ่อนชำระภาษี", "ขอผ่อนชำระภาษีป้ายเป็นงวดได้หรือไม่"),
    ),
    "staff": (
        ("เจ้าหน้าที่บริการช้า", "ไปติดต่อขออนุญาตก่อสร้างรอนานเกือบสองชั่วโมง"),
        ("ชมเชยเจ้าหน้าที่", "ขอบคุณเจ้าหน้าที่กองช่างที่มาซ่อมไฟถนนรวดเร็ว"),
    ),
    "other": (
        ("ขอใช้สนามกีฬา", "ขอใช้สนามกีฬากลางจัดแข่งฟุตบอลเยาวชน"),
        ("ป้ายโฆษณาบังทาง", "ป้ายโฆษณาริมทางโค้งบังการมองเห็น"),
    ),
}
KINDS = (
    (CaseKind.COMPLAINT,) * 9
    + (CaseKind.GRIEVANCE,) * 5
    + (CaseKind.SUGGESTION,) * 3
    + (CaseKind.QUESTION,) * 3
)
BUSY_CHANNELS = (
    (Channel.LINE,) * 6 + (Channel.WEB,) * 4 + (Channel.PHONE,) * 3 + (Channel.WALK_IN,) * 2
)
NAMES = ("สมหญิง ใจงาม", "บุญมี ศรีสุข", "ประยูร แก้วดี", "มาลี ทองคำ", "สุชาติ พรมมา", "")
AGENCIES = ("การไฟฟ้าส่วนภูมิภาคอำเภอเมือง", "แขวงทางหลวงนครราชสีมา", "การประปาส่วนภูมิภาค")
REPLIES = {
    Status.RESOLVED: "ดำเนินการแก้ไขเรียบร้อยแล้ว ขอบคุณที่แจ้งเรื่องมา",
    Status.CLOSED: "ดำเนินการแล้วเสร็จและปิดเรื่อง",
    Status.REJECTED: "เรื่องนี้อยู่นอกอำนาจหน้าที่ของหน่วยงาน จึงขอยุติเรื่อง",
}


@dataclass
class Plan:
    """What happens to one demo case: when it arrives and how it is handled."""

    received: datetime
    category: Category
    kind: CaseKind
    channel: Channel


def _moment(day: date, rng: random.Random) -> datetime:
    """A Bangkok office-hours moment on ``day``, as UTC."""
    local = datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=BANGKOK)
    return local.astimezone(UTC)


def _rounds(today: date) -> list[tuple[date, date]]:
    """The four rounds of the two fiscal years before today's, then today's round so far."""
    current = fiscal_year_be(today)
    rounds = []
    for year in (current - 2, current - 1):
        september = year - 543
        rounds += [(date(september - 1, 10, 1), date(september, 3, 31))]
        rounds += [(date(september, 4, 1), date(september, 9, 30))]
    start = date(today.year, 10, 1) if today.month >= 10 else date(today.year, 4, 1)
    if today.month <= 3:
        start = date(today.year - 1, 10, 1)
    rounds.append((start, today))
    return rounds


def _plans(
    today: date, categories: list[Category], rng: random.Random, per_round: int
) -> list[Plan]:
    plans = []
    for first, last in _rounds(today):
        span = (last - first).days
        count = per_round if span > 90 else max(12, per_round * span // 182)
        for n in range(count):
            # Every channel, kind and category in every round; then as residents use them.
            channel = list(Channel)[n] if n < len(Channel) else rng.choice(BUSY_CHANNELS)
            category = categories[n % len(categories)] if n < 2 * len(categories) else None
            day = first + timedelta(days=rng.randint(0, span))
            plans.append(
                Plan(
                    received=_moment(day, rng),
                    category=category or rng.choice(categories),
                    kind=list(CaseKind)[n % 4] if n < 4 else rng.choice(KINDS),
                    channel=channel,
                )
            )
    return sorted(plans, key=lambda p: p.received)


def _event(case: Case, at: datetime, type_: EventType, **fields: object) -> None:
    db.session.add(CaseEvent(case_id=case.id, type=type_, created_at=at, **fields))


def _after(start: datetime, working_days: int, rng: random.Random) -> datetime:
    return _moment(add_working_days(local_date(start), working_days), rng)


def _handle(case: Case, now: datetime, rng: random.Random, officer_id: int | None) -> None:
    """Move ``case`` through its life up to ``now``: on time mostly, late sometimes."""
    case.assigned_to_id = officer_id
    acknowledged = _after(case.received_at, rng.choice((0, 1, 1, 2, 2, 3, 5)), rng)
    if acknowledged > now:
        return  # still waiting in the queue
    case.acknowledged_at, case.status = acknowledged, Status.IN_PROGRESS
    _event(case, acknowledged, EventType.STATUS_CHANGED, is_public=True, to_status=Status.ACCEPTED)
    answered = _after(acknowledged, rng.choice((2, 4, 6, 9, 12, 14, 18, 25)), rng)
    if answered > now or rng.random() < 0.04:
        return  # in progress, overdue once past its answer due date
    outcome = rng.choices(
        (Status.RESOLVED, Status.CLOSED, Status.REJECTED, Status.FORWARDED), (60, 25, 6, 9)
    )[0]
    case.status = outcome
    case.resolved_at = answered
    if outcome != Status.RESOLVED:
        case.closed_at = answered
    body = REPLIES.get(outcome) or f"ส่งต่อให้: {rng.choice(AGENCIES)}"
    _event(case, answered, EventType.STATUS_CHANGED, is_public=True, to_status=outcome, body=body)
    if outcome in (Status.RESOLVED, Status.CLOSED) and rng.random() < 0.5:
        case.rating = rng.choices((5, 4, 3, 2, 1), (45, 30, 15, 6, 4))[0]
        case.rated_at = answered + timedelta(days=1)
        _event(case, case.rated_at, EventType.RATED, body=str(case.rating))
    case.last_activity_at = case.rated_at or answered


def _merge(duplicate: Case, into: Case) -> None:
    duplicate.merged_into_id, duplicate.status = into.id, Status.CLOSED
    duplicate.closed_at = duplicate.received_at + timedelta(hours=3)
    _event(
        duplicate,
        duplicate.closed_at,
        EventType.MERGED,
        is_public=True,
        body=f"รวมกับเรื่อง {into.code}",
        to_status=Status.CLOSED,
    )


def seed_demo_cases(
    officers: dict[int, int] | None = None,
    today: date | None = None,
    per_round: int = CASES_PER_ROUND,
) -> int:
    """Create the demo cases if the organization in scope has no case yet; return how many.

    ``officers`` maps a department id to the officer its cases are assigned to; ``per_round``
    is how many cases a full six-month round gets.
    """
    session = db.session
    if session.scalar(select(func.count(Case.id))):
        return 0
    now = utcnow()
    today = today or local_date(now)
    rng = random.Random(RANDOM_SEED)  # noqa: S311 (demo data, not a secret)
    categories = list(session.scalars(select(Category).order_by(Category.sort_order)))
    by_code = {c.code: c for c in categories}
    created: list[Case] = []
    for n, plan in enumerate(_plans(today, categories, rng, per_round)):
        subject, details = rng.choice(TEXTS.get(plan.category.code, TEXTS["other"]))
        name = rng.choice(NAMES)
        sub = CaseSubmission(
            kind=plan.kind,
            channel=plan.channel,
            category_id=by_code[plan.category.code].id,
            subject=subject,
            details=details,
            contact_name=name,
            contact_phone=f"08{rng.randint(10_000_000, 99_999_999)}" if name else "",
            privacy_acknowledged=True,
            received_at=plan.received,
        )
        case = new_case_row(session, sub, plan.category)
        session.add(case)
        session.flush()
        _event(case, plan.received, EventType.RECEIVED, is_public=True, to_status=Status.RECEIVED)
        same = [
            c for c in created[-8:] if c.category_id == case.category_id and not c.merged_into_id
        ]
        if n % 25 == 7 and same:
            _merge(case, same[-1])
        else:
            _handle(case, now, rng, (officers or {}).get(case.department_id))
        created.append(case)
    session.commit()
    return len(created)


def seed_demo() -> int:
    """``flask seed --demo``'s cases, handled by the demo officer of each department."""
    from app.auth.demo import demo_officers

    return seed_demo_cases(demo_officers())


# The province's other bodies are smaller: a quarter of the first body's cases each.
PROVINCE_CASES_PER_ROUND = CASES_PER_ROUND // 4


def seed_demo_province_cases() -> int:
    """Demo cases of each of the demo province's other bodies, handled by its own officer."""
    from app.auth.demo import demo_officers
    from app.organizations.demo import demo_province_bodies

    created = 0
    for body, organization in demo_province_bodies():
        with organization_scope(organization.id):
            created += seed_demo_cases(
                demo_officers(body.users), per_round=PROVINCE_CASES_PER_ROUND
            )
    return created
