"""The organization offered to every template, and the platform's home page.

With several organizations, ``/`` without a host name or prefix of a body is the platform's: a
resident types their ตำบล, อำเภอ or จังหวัด and gets the bodies serving it (``geothai`` names).
"""

from __future__ import annotations

from dataclasses import dataclass

import geothai
from flask import Flask, current_app, render_template, request

from app.extensions import db
from app.organizations.models import Organization
from app.organizations.scope import current_organization_id
from app.organizations.services import Profile, current_profile, profile_of

# How many places a search lists at most.
SEARCH_LIMIT = 12


@dataclass(frozen=True)
class Match:
    """A place a resident's words found, with the bodies serving it."""

    label: str
    organizations: list[Organization]


def _template_organization() -> dict[str, Profile]:
    """``organization`` in templates: the current body's settings (the defaults on the platform)."""
    if current_organization_id(db.session) is not None:
        return {"organization": current_profile(db.session)}
    return {"organization": profile_of(Organization(id=0, slug="", name_th=""))}


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


def _label(area: object) -> str:
    code: str = getattr(area, "code", "")
    parts = [getattr(area, "name_th", "")]
    if len(code) >= 4:
        district = geothai.district(code[:4])
        if len(code) == 6 and district is not None:
            parts.append(f"อ.{district.name_th}")
        province = geothai.province(code[:2])
        if province is not None:
            parts.append(f"จ.{province.name_th}")
    prefix = {2: "จังหวัด", 4: "อำเภอ", 6: "ตำบล"}.get(len(code), "")
    return f"{prefix}{' '.join(parts)}"


def find_places(query: str, organizations: list[Organization]) -> list[Match]:
    """The places matching ``query`` (Thai or English names) and who serves each."""
    return [
        Match(_label(result.area), serving(organizations, result.area))
        for result in geothai.search(query, limit=SEARCH_LIMIT)
    ]


def platform_home() -> str:
    """The platform's home page: find your body by typing a place name."""
    from app.organizations.services import all_organizations

    organizations = [o for o in all_organizations(db.session) if o.active]
    query = request.args.get("q", "").strip()[:100]
    matches = find_places(query, organizations) if query else []
    return render_template(
        "organizations/platform_home.html",
        query=query,
        matches=matches,
        organizations=organizations,
        base_url=current_app.config["PUBLIC_BASE_URL"].rstrip("/"),
    )


def init_app(app: Flask) -> None:
    """Offer ``organization`` to every template."""
    app.context_processor(_template_organization)
