"""Creating, changing and finding organizations; the settings of the current one.

An organization's empty names, contacts and settings fall back to the installation's ``ORG_*``
settings: the environment is the default of a single-body install.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import IntEnum
from typing import Any
from urllib.parse import urlsplit

import geothai
from flask import current_app
from sqlalchemy import select

from app.config import is_tile_url
from app.database import AnySession, unit_of_work
from app.organizations.models import Organization, OrganizationHost, OrganizationType
from app.organizations.scope import current_organization_id, organization_scope

SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$")
HOST_PATTERN = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$"
)

# What a new organization starts with (default categories, departments, templates): each
# domain registers its seeder, called inside the new organization's scope.
Seeder = Callable[[AnySession], None]
_seeders: list[Seeder] = []


class OrganizationError(ValueError):
    """A refused organization change; the message says why (Thai)."""


def register_seeder(seeder: Seeder) -> None:
    """Have ``seeder`` fill every new organization with its default rows (idempotent)."""
    if seeder not in _seeders:
        _seeders.append(seeder)


@dataclass(frozen=True)
class Area:
    """The official area an organization serves: a province, a district, subdistricts."""

    province_code: str | None
    district_code: str | None
    subdistrict_codes: tuple[str, ...]


def resolve_area(province: str | None, district: str | None, subdistricts: tuple[str, ...]) -> Area:
    """Check the codes against ``geothai``; a missing province or district comes from the rest."""
    for code in subdistricts:
        if geothai.subdistrict(code) is None:
            raise OrganizationError(f"ไม่พบรหัสตำบล {code}")
    if district and geothai.district(district) is None:
        raise OrganizationError(f"ไม่พบรหัสอำเภอ {district}")
    if province and geothai.province(province) is None:
        raise OrganizationError(f"ไม่พบรหัสจังหวัด {province}")
    districts = {code[:4] for code in subdistricts}
    if district is None and len(districts) == 1:
        district = districts.pop()
    if district and any(code[:4] != district for code in subdistricts):
        raise OrganizationError(f"ตำบลที่ระบุไม่ได้อยู่ในอำเภอ {district}")
    if province is None and district:
        province = district[:2]
    if province is None and subdistricts:
        province = subdistricts[0][:2]
    if province and any(code[:2] != province for code in (*subdistricts, district or province)):
        raise OrganizationError(f"พื้นที่ที่ระบุไม่ได้อยู่ในจังหวัด {province}")
    return Area(province, district, tuple(sorted(set(subdistricts))))


def _check_slug(slug: str) -> str:
    if not SLUG_PATTERN.match(slug):
        raise OrganizationError("ชื่อย่อ (slug) ใช้ได้เฉพาะ a-z 0-9 และ - ยาว 3-40 ตัวอักษร")
    return slug


def _check_hosts(hosts: tuple[str, ...]) -> list[str]:
    cleaned = [h.strip().lower().rstrip(".") for h in hosts]
    for host in cleaned:
        if not HOST_PATTERN.match(host):
            raise OrganizationError(f"ชื่อโฮสต์ไม่ถูกต้อง: {host}")
    return cleaned


def create_organization(
    session: AnySession,
    slug: str,
    *,
    name_th: str,
    type_: str = OrganizationType.SAO,
    area: Area,
    hosts: tuple[str, ...] = (),
    **settings: Any,
) -> Organization:
    """Add an organization with its default reference data and commit; refuse a taken slug."""
    _check_slug(slug)
    if session.scalar(select(Organization.id).where(Organization.slug == slug)) is not None:
        raise OrganizationError(f"มีหน่วยงาน {slug} อยู่แล้ว")
    if not name_th.strip():
        raise OrganizationError("กรุณาระบุชื่อหน่วยงาน")
    with unit_of_work(session):
        organization = Organization(
            slug=slug, name_th=name_th.strip(), type=OrganizationType(type_)
        )
        _apply(organization, area, **settings)
        session.add(organization)
        _set_hosts(session, organization, _check_hosts(hosts))
        session.flush()
        with organization_scope(organization.id):
            for seeder in _seeders:
                seeder(session)
    return organization


def update_organization(
    session: AnySession,
    organization: Organization,
    *,
    area: Area | None = None,
    hosts: tuple[str, ...] | None = None,
    **settings: Any,
) -> Organization:
    """Change an organization's names, area, hosts or settings and commit."""
    if "slug" in settings:
        _check_slug(settings["slug"])
    if "type" in settings:
        settings["type"] = OrganizationType(settings["type"])
    with unit_of_work(session):
        _apply(organization, area, **settings)
        if hosts is not None:
            _set_hosts(session, organization, _check_hosts(hosts))
    return organization


def _apply(organization: Organization, area: Area | None, **settings: Any) -> None:
    tile_url = settings.get("map_tile_url")
    if tile_url and not is_tile_url(tile_url):
        raise OrganizationError(
            "แผนที่: ที่อยู่ tile ต้องขึ้นต้นด้วย http(s):// และมี {z} {x} {y} "
            "เช่น https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        )
    for name, value in settings.items():
        if not hasattr(Organization, name) or name in {"id", "hosts"}:
            raise OrganizationError(f"unknown organization setting {name}")
        setattr(organization, name, value)
    if area is not None:
        organization.province_code = area.province_code
        organization.district_code = area.district_code
        organization.subdistrict_codes = list(area.subdistrict_codes)


def _set_hosts(session: AnySession, organization: Organization, hosts: list[str]) -> None:
    taken = session.scalars(select(OrganizationHost).where(OrganizationHost.host.in_(hosts))).all()
    for row in taken:
        if row.organization is not organization:
            raise OrganizationError(f"โฮสต์ {row.host} เป็นของหน่วยงานอื่นแล้ว")
    keep = {h.host: h for h in organization.hosts}
    organization.hosts = [keep.get(h) or OrganizationHost(host=h) for h in dict.fromkeys(hosts)]


def find_by_slug(session: AnySession, slug: str) -> Organization | None:
    """The organization named ``slug``, active or not."""
    return session.scalar(select(Organization).where(Organization.slug == slug))


def find_by_host(session: AnySession, host: str) -> Organization | None:
    """The organization that lists ``host`` (lower case, no port) among its host names."""
    row = session.get(OrganizationHost, host)
    return row.organization if row is not None else None


def all_organizations(session: AnySession) -> list[Organization]:
    """Every organization, in the order they were made."""
    return list(session.scalars(select(Organization).order_by(Organization.id)))


def sole_organization(session: AnySession) -> Organization | None:
    """The only active organization, or None when there are several (a platform)."""
    rows = session.scalars(
        select(Organization).where(Organization.active.is_(True)).order_by(Organization.id).limit(2)
    ).all()
    return rows[0] if len(rows) == 1 else None


class Nearness(IntEnum):
    """How near another body's area is to one body's: for choosing where to forward a case."""

    SAME_DISTRICT = 0
    SAME_PROVINCE = 1
    ELSEWHERE = 2


def nearness(origin: Organization, other: Organization) -> Nearness:
    """How near ``other`` is to ``origin``: same อำเภอ, same จังหวัด, or elsewhere."""
    if origin.district_code and other.district_code == origin.district_code:
        return Nearness.SAME_DISTRICT
    if origin.province_code and other.province_code == origin.province_code:
        return Nearness.SAME_PROVINCE
    return Nearness.ELSEWHERE


def other_active_bodies(session: AnySession, origin: Organization) -> list[Organization]:
    """The platform's other active bodies, nearest to ``origin`` first, then by Thai name."""
    others = session.scalars(
        select(Organization).where(Organization.active.is_(True), Organization.id != origin.id)
    )
    return sorted(others, key=lambda other: (nearness(origin, other), other.name_th, other.id))


@dataclass(frozen=True)
class Profile:
    """What pages, messages and reports show of an organization, defaults filled in."""

    id: int
    slug: str
    name: str
    name_en: str
    phone: str
    address: str
    office_hours: str
    line_basic_id: str
    emblem: str  # a path under static/
    mail_sender_name: str
    retention_days: int
    public_stats_min_count: int
    map_tile_url: str  # empty: the public map shows no tiles (the list only)
    map_tile_attribution: str


def profile_of(organization: Organization) -> Profile:
    """``organization``'s settings, each empty one taken from the installation's settings."""
    config = current_app.config
    name = organization.name_th or config["ORG_NAME"]
    return Profile(
        id=organization.id,
        slug=organization.slug,
        name=name,
        name_en=organization.name_en or name,
        phone=organization.phone or config["ORG_PHONE"],
        address=organization.address or config["ORG_ADDRESS"],
        office_hours=organization.office_hours or config["ORG_OFFICE_HOURS"],
        line_basic_id=organization.line_basic_id or config["LINE_OA_ID"],
        emblem=organization.emblem_path or config["ORG_EMBLEM"],
        mail_sender_name=organization.mail_sender_name or name,
        retention_days=organization.retention_days or config["RETENTION_DAYS"],
        public_stats_min_count=(
            organization.public_stats_min_count or config["PUBLIC_STATS_MIN_COUNT"]
        ),
        map_tile_url=organization.map_tile_url or config["MAP_TILE_URL"],
        map_tile_attribution=(organization.map_tile_attribution or config["MAP_TILE_ATTRIBUTION"]),
    )


_reader: ContextVar[AnySession | None] = ContextVar("organization_reader", default=None)


@contextmanager
def reading_organizations_with(session: AnySession) -> Iterator[None]:
    """Read the current organization's settings and links with ``session`` in the block.

    For a worker with its own session, living longer than one app context: reading through the
    thread's request-scoped session would leave that session open, holding a connection.
    """
    token = _reader.set(session)
    try:
        yield
    finally:
        _reader.reset(token)


def _lookup_session() -> AnySession:
    """The session to read organizations with: the worker's, else the request-scoped one."""
    from app.extensions import db

    return _reader.get() or db.session


def current_profile(session: AnySession) -> Profile:
    """The profile of the organization in scope, read with ``session``.

    After the first call the organization comes from the session's identity map (no query);
    the installation's defaults are read each time.
    """
    organization_id = current_organization_id(session)
    if organization_id is None:
        raise LookupError("no single organization in scope")
    organization = session.get(Organization, organization_id)
    assert organization is not None
    return profile_of(organization)


def organization_profile() -> Profile:
    """The current organization's settings (names, contacts, retention, thresholds)."""
    return current_profile(_lookup_session())


def platform_profile() -> Profile:
    """What the platform's own pages show: the installation's settings."""
    return profile_of(Organization(id=0, slug="", name_th=""))


def each_organization(session: AnySession) -> Iterator[Organization]:
    """Each active organization in turn, with its scope set (cron commands over every body)."""
    for organization in all_organizations(session):
        if organization.active:
            with organization_scope(organization.id):
                yield organization


def organization_base_url() -> str:
    """Where the current organization's pages are: its first host name, else ``/o/<slug>``.

    A single-body install keeps ``PUBLIC_BASE_URL`` itself; on the platform's own pages (no
    organization in scope) it is ``PUBLIC_BASE_URL`` too.
    """
    base: str = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    session = _lookup_session()
    organization_id = current_organization_id(session)
    if organization_id is None:
        return base
    organization = session.get(Organization, organization_id)
    assert organization is not None
    if organization.hosts:
        host, parts = organization.hosts[0].host, urlsplit(base)
        # A body on the platform's own host name (a development server's, port and all).
        return base if host == parts.hostname else f"{parts.scheme}://{host}"
    if sole_organization(session) is not None:
        return base
    return f"{base}/o/{organization.slug}"


def serving(organizations: list[Organization], area: object) -> list[Organization]:
    """The organizations serving ``area`` (a geothai province, district or subdistrict)."""
    code: str = getattr(area, "code", "")
    found = []
    for org in organizations:
        if (
            (len(code) == 6 and (code in org.subdistrict_codes or org.district_code == code[:4]))
            or (
                len(code) == 4
                and (
                    org.district_code == code
                    or any(s.startswith(code) for s in org.subdistrict_codes)
                )
            )
            or (org.province_code == code[:2] and (len(code) == 2 or org.district_code is None))
        ):
            found.append(org)
    return found
