"""Demo data of the officers' side for ``make run``.

Publications: a handful of the demo cases on the public list and map. The chosen cases'
residents are taken to have allowed publication; each gets a pin near the office and a photo drawn
here (a road with a "house number" sign), published through the same moderation service an
officer uses, with the sign blacked out. Created once.

The demo province's hand-off: a canal in หนองระเวียง reported to อบต.จอหอ, forwarded to
อบต.หนองระเวียง, accepted and answered there. Both bodies' queues and timelines show it, and the
resident's link at จอหอ shows หนองระเวียง's progress.
"""

from __future__ import annotations

import io
import random

from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from app import uploads
from app.auth.services import user_by_email
from app.extensions import db
from app.organizations.demo import NEIGHBOUR, demo_province_bodies
from app.organizations.scope import organization_scope
from cases.models import Attachment, Case, CaseKind, Category, Channel
from cases.publication import Publication
from cases.services import CaseSubmission, submit_case
from review import services
from review.publication import PublicWording, publish

DEMO_PUBLISHED = 6
DEMO_CATEGORIES = ("roads", "lights", "water", "waste", "drainage")
OFFICE = (15.0417, 102.1362)  # near the อบต. office of the demo body
SIGN_BOX = (0.62, 0.18, 0.22, 0.16)  # where the demo photo's "house number" sign is


def _demo_photo(rng: random.Random) -> bytes:
    """A small photo-like JPEG: sky, a road, and a sign to black out."""
    image = Image.new("RGB", (640, 480), (150, 190, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 260, 640, 480), fill=(90, 90, 90))
    for _ in range(3):
        x, y = rng.randint(40, 560), rng.randint(300, 440)
        draw.ellipse((x, y, x + 70, y + 30), fill=(60, 50, 40))  # potholes
    x, y, w, h = (int(v * s) for v, s in zip(SIGN_BOX, (640, 480, 640, 480), strict=True))
    draw.rectangle((x, y, x + w, y + h), fill=(250, 250, 250))
    draw.text((x + 20, y + 25), "99/9", fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


def _attach_photo(case: Case, rng: random.Random) -> None:
    data = _demo_photo(rng)
    stored_name, digest = uploads.write_file(current_app.config["UPLOAD_DIR"], data)
    db.session.add(
        Attachment(
            case=case,
            stored_name=stored_name,
            original_name="photo.jpg",
            content_type="image/jpeg",
            size_bytes=len(data),
            sha256=digest,
        )
    )


def _candidates() -> list[Case]:
    query = (
        select(Case)
        .join(Case.category)
        .where(Category.code.in_(DEMO_CATEGORIES), Case.merged_into_id.is_(None))
        .order_by(Case.received_at.desc())
        .limit(DEMO_PUBLISHED)
    )
    return list(db.session.scalars(query))


def seed_demo_publications() -> int:
    """Publish a few recent demo cases if nothing is published yet; return how many."""
    supervisor = user_by_email("supervisor@demo.example.com")
    if supervisor is None or db.session.scalar(select(func.count(Publication.id))):
        return 0
    rng = random.Random(2569)  # noqa: S311 (demo data, not a secret)
    cases = _candidates()
    for n, case in enumerate(cases):
        case.publication_allowed = True
        case.latitude = OFFICE[0] + rng.uniform(-0.02, 0.02)
        case.longitude = OFFICE[1] + rng.uniform(-0.02, 0.02)
        if n % 2 == 0:
            _attach_photo(case, rng)
        db.session.commit()
        photos = {a.id: [SIGN_BOX] for a in case.attachments if a.is_image}
        wording = PublicWording(
            title=case.subject,
            description="เจ้าหน้าที่รับทราบและดำเนินการตามลำดับ",
            place=f"หมู่ {rng.randint(1, 12)} ตำบลจอหอ",
            photos=photos,
        )
        publish(supervisor, case, wording, case.version)
    return len(cases)


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
