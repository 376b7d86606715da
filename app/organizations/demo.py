"""The demo province of ``make run`` (``flask seed --demo``): three bodies of นครราชสีมา.

- อบต.จอหอ, the installation's first body, with the demo data it has always had; it keeps the
  addresses of a single-body install (http://127.0.0.1:5000/ and http://localhost:5000/ are its
  host names here), so links, the LINE simulator and the browser tests stay where they were;
- อบต.หนองระเวียง, its neighbour in อำเภอเมืองนครราชสีมา, and อบจ.นครราชสีมา, each with its own
  staff, opened locally under ``/o/<slug>/`` (there are no host names on a laptop).

Their cases and the case forwarded between them are the capabilities' own demos. Accounts of
the province rather than of one body (oversight) belong beside ``DEMO_PROVINCE_BODIES``.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.auth.demo import DemoUser, seed_demo_users
from app.auth.models import Role
from app.extensions import db
from app.organizations.models import Organization, OrganizationType
from app.organizations.scope import default_organization_id, organization_scope
from app.organizations.services import create_organization, resolve_area, update_organization

FIRST_BODY_SLUG = "jorhor"
FIRST_BODY_SUBDISTRICT = "300116"  # ตำบลจอหอ
# The local addresses the first body keeps: a single-body install's, and the test client's.
FIRST_BODY_HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class DemoBody:
    """One body of the demo province: who it is, the area it serves, its staff."""

    slug: str
    name_th: str
    name_en: str
    type: OrganizationType
    province: str | None
    subdistricts: tuple[str, ...]
    users: tuple[DemoUser, ...]


DEMO_PROVINCE_BODIES = (
    DemoBody(
        "nong-rawiang",
        "อบต.หนองระเวียง",
        "Nong Rawiang Subdistrict Administrative Organization",
        OrganizationType.SAO,
        None,
        ("300106",),  # ตำบลหนองระเวียง, อำเภอเมืองนครราชสีมา
        (
            (
                "officer@nong-rawiang.demo.example.com",
                "มานพ ขยัน (เจ้าหน้าที่ อบต.หนองระเวียง)",
                Role.OFFICER,
                ("works", "office", "health", "finance", "education"),
            ),
            (
                "supervisor@nong-rawiang.demo.example.com",
                "สุดา ตั้งใจ (ปลัด อบต.หนองระเวียง)",
                Role.SUPERVISOR,
                (),
            ),
        ),
    ),
    DemoBody(
        "korat-pao",
        "อบจ.นครราชสีมา",
        "Nakhon Ratchasima Provincial Administrative Organization",
        OrganizationType.PAO,
        "30",
        (),
        (
            (
                "officer@korat-pao.demo.example.com",
                "ชาตรี ทางดี (เจ้าหน้าที่ อบจ.นครราชสีมา)",
                Role.OFFICER,
                ("works", "office", "health", "finance", "education"),
            ),
            (
                "supervisor@korat-pao.demo.example.com",
                "อรุณี เที่ยงธรรม (ปลัด อบจ.นครราชสีมา)",
                Role.SUPERVISOR,
                (),
            ),
        ),
    ),
)


NEIGHBOUR = DEMO_PROVINCE_BODIES[0]


def _prepare_first_body() -> None:
    """Name the first body's place in the province, once (its name stays ``ORG_NAME``)."""
    session = db.session
    first = session.get(Organization, default_organization_id(session))
    if first is None or first.slug == FIRST_BODY_SLUG:
        return
    update_organization(
        session,
        first,
        slug=FIRST_BODY_SLUG,
        area=resolve_area(None, None, (FIRST_BODY_SUBDISTRICT,)),
        hosts=FIRST_BODY_HOSTS,
    )


def demo_province_bodies() -> list[tuple[DemoBody, Organization]]:
    """The demo province's other bodies that exist, with their rows."""
    found = {
        o.slug: o
        for o in db.session.scalars(
            select(Organization).where(
                Organization.slug.in_([body.slug for body in DEMO_PROVINCE_BODIES])
            )
        )
    }
    return [(body, found[body.slug]) for body in DEMO_PROVINCE_BODIES if body.slug in found]


def seed_demo_province() -> int:
    """Make the province's bodies and their staff that are missing; return how many bodies."""
    _prepare_first_body()
    existing = {body.slug for body, _organization in demo_province_bodies()}
    for body in DEMO_PROVINCE_BODIES:
        if body.slug not in existing:
            create_organization(
                db.session,
                body.slug,
                name_th=body.name_th,
                name_en=body.name_en,
                type_=body.type,
                area=resolve_area(body.province, None, body.subdistricts),
            )
    for body, organization in demo_province_bodies():
        with organization_scope(organization.id):
            seed_demo_users(body.users)
    return len(DEMO_PROVINCE_BODIES) - len(existing)
