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
from app.organizations.services import Profile, organization_profile, platform_profile, serving

# How many places a search lists at most.
SEARCH_LIMIT = 12


@dataclass(frozen=True)
class Match:
    """A place a resident's words found (its level and Thai names), with the bodies serving it."""

    level: str  # province, district or subdistrict
    name: str
    district: str
    province: str
    organizations: list[Organization]


def _template_organization() -> dict[str, Profile]:
    """``organization`` in templates: the current body's settings (the defaults on the platform)."""
    try:
        return {"organization": organization_profile()}
    except LookupError:  # the platform's own pages
        return {"organization": platform_profile()}


def _match(level: str, area: object, organizations: list[Organization]) -> Match:
    code: str = getattr(area, "code", "")
    district = geothai.district(code[:4]) if len(code) == 6 else None
    province = geothai.province(code[:2]) if len(code) > 2 else None
    return Match(
        level=level,
        name=getattr(area, "name_th", ""),
        district=district.name_th if district else "",
        province=province.name_th if province else "",
        organizations=serving(organizations, area),
    )


def find_places(query: str, organizations: list[Organization]) -> list[Match]:
    """The places matching ``query`` (Thai or English names) and who serves each."""
    return [
        _match(result.level, result.area, organizations)
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
