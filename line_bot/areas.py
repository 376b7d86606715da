"""Which body serves a resident of the platform's LINE account: their ตำบล, from what they typed.

A ตำบล name is matched against the official names (``geothai``, offline). Many names exist in
several places (ในเมือง, บ้านใหม่): the candidates served by a body on this platform are narrowed
by จังหวัด, then อำเภอ, each offered as quick replies (or typed). The body chosen for a ตำบล is the
most local one serving it: one that lists the ตำบล, else the district's, else the province's
(an อบจ.).
"""

from __future__ import annotations

from dataclasses import dataclass

import geothai

from app.extensions import db
from app.organizations.models import Organization
from app.organizations.services import all_organizations, serving

# How many official places a typed name is looked up among (ในเมือง has 22 ตำบล).
SEARCH_LIMIT = 200
# Prefixes a resident may type before a province or district name.
PLACE_PREFIXES = ("จังหวัด", "อำเภอ", "เขต", "จ.", "อ.")


@dataclass(frozen=True)
class Narrowing:
    """What a resident's words found: the chosen body, or candidates to choose among."""

    candidates: tuple[str, ...]  # subdistrict codes served by some body
    known: bool  # the name exists in Thailand (False: unknown ตำบล)

    @property
    def subdistrict(self) -> str | None:
        """The one ตำบล left, if narrowed down to one."""
        return self.candidates[0] if len(self.candidates) == 1 else None


def active_bodies() -> list[Organization]:
    """The bodies a platform resident may be served by."""
    return [o for o in all_organizations(db.session) if o.active]


def serving_body(code: str, bodies: list[Organization]) -> Organization | None:
    """The most local body serving subdistrict ``code``: its own, the district's, the province's."""
    area = geothai.subdistrict(code)
    found = serving(bodies, area) if area is not None else []

    def locality(body: Organization) -> tuple[int, int]:
        if code in body.subdistrict_codes:
            return (0, body.id)
        return (1 if body.district_code == code[:4] else 2, body.id)

    return min(found, key=locality, default=None)


def find_subdistricts(typed: str, bodies: list[Organization]) -> Narrowing:
    """The served ตำบล whose name is ``typed`` (exact names first, else names starting so)."""
    found = [
        result.area
        for result in geothai.search(typed, limit=SEARCH_LIMIT)
        if result.level == "subdistrict"
    ]
    name = geothai.normalize(typed)
    exact = [area for area in found if area.name_th == name]
    codes = [area.code for area in (exact or found)]
    served = tuple(code for code in codes if serving_body(code, bodies) is not None)
    return Narrowing(served, known=bool(codes))


def narrow(candidates: tuple[str, ...], typed: str) -> tuple[str, ...]:
    """The candidates in the จังหวัด or อำเภอ the resident named (typed or a quick reply's code)."""
    if typed.isdigit():
        return tuple(code for code in candidates if code.startswith(typed))
    words = typed.strip()
    for prefix in PLACE_PREFIXES:
        words = words.removeprefix(prefix).strip()
    name = geothai.normalize(words)
    return tuple(code for code in candidates if name in _place_names(code))


def _place_names(code: str) -> tuple[str, str]:
    district = geothai.district(code[:4])
    province = geothai.province(code[:2])
    return (district.name_th if district else "", province.name_th if province else "")


def choices(candidates: tuple[str, ...]) -> tuple[str, list[tuple[str, str]]]:
    """How to narrow ``candidates``: ``("province" | "district", [(code, Thai name), ...])``.

    By จังหวัด while they span several, then by อำเภอ (names are unique within an อำเภอ).
    """
    provinces = sorted({code[:2] for code in candidates})
    if len(provinces) > 1:
        return "province", [(code, _name(geothai.province(code))) for code in provinces]
    districts = sorted({code[:4] for code in candidates})
    return "district", [(code, _name(geothai.district(code))) for code in districts]


def _name(area: object) -> str:
    return str(getattr(area, "name_th", ""))


def place_names(code: str) -> dict[str, str]:
    """The Thai names of subdistrict ``code`` and its district and province (for ``m.PLACE``)."""
    district, province = _place_names(code)
    return {
        "subdistrict": _name(geothai.subdistrict(code)),
        "district": district,
        "province": province,
    }
