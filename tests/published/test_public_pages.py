"""The public list, case page and map: public wording only, filters, paging, the tile setting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.calendar import today_in_thailand
from app.config import Config, ConfigError
from app.extensions import db
from app.input import format_thai_day
from app.organizations.models import Organization
from cases.models import Case
from cases.publication import PAGE_SIZE
from review import publication, services
from review.publication import PublicWording
from tests.factories import THAI_DETAILS, THAI_SUBJECT, category_id, make_case, make_user

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def _published(title: str = "ไฟถนนดับทั้งซอย", allowed: bool = True, **overrides) -> Case:
    """A case filed with publication allowed (or not) and published by an officer."""
    overrides.setdefault("contact_name", "สมหญิง รักดี")
    overrides.setdefault("location_text", "ซอย 5 หมู่ 2")
    overrides.setdefault("latitude", 15.04)
    overrides.setdefault("longitude", 102.13)
    case, _ = make_case(publication_allowed=allowed, **overrides)
    officer = make_user(roles=("supervisor",))
    wording = PublicWording(title=title, description="รอช่างไฟฟ้า", place="ซอย 5 หมู่ 2")
    publication.publish(officer, case, wording, case.version)
    return case


def test_the_list_shows_the_public_wording_and_never_the_residents_words_or_contact(client):
    case = _published()
    officer = make_user(roles=("supervisor",))
    services.reply(officer, case, "ช่างจะเข้าซ่อมวันพรุ่งนี้", case.version)

    html = client.get("/public/cases").get_data(as_text=True)

    item = html.split(f'id="public-{case.code}"')[1].split("</li>\n")[-1]
    for shown in ("ไฟถนนดับทั้งซอย", "ซอย 5 หมู่ 2", "รับเรื่องแล้ว", "ช่างจะเข้าซ่อมวันพรุ่งนี้"):
        assert shown in html
    for private in (THAI_SUBJECT, THAI_DETAILS, "สมหญิง", "0812345678", case.token_salt):
        assert private not in html
    assert "<script" not in html  # the list is plain HTML: it works with no JavaScript
    assert item is not None
    page = client.get(f"/public/cases/{case.code}").get_data(as_text=True)
    assert "รอช่างไฟฟ้า" in page and "ช่างจะเข้าซ่อมวันพรุ่งนี้" in page
    assert "สมหญิง" not in page and THAI_DETAILS not in page


def test_only_published_cases_of_consenting_residents_are_listed(client):
    shown = _published("เรื่องที่เผยแพร่")
    unpublished, _ = make_case(publication_allowed=True, subject="ยังไม่ได้ตรวจ")
    html = client.get("/public/cases").get_data(as_text=True)
    assert "เรื่องที่เผยแพร่" in html and unpublished.code not in html
    assert client.get(f"/public/cases/{unpublished.code}").status_code == 404
    # A publication whose case lost the resident's consent (corrected by staff) is not shown.
    shown.publication_allowed = False
    db.session.commit()
    assert client.get(f"/public/cases/{shown.code}").status_code == 404
    assert shown.code not in client.get("/public/cases").get_data(as_text=True)


def test_filters_by_category_status_place_and_buddhist_era_dates(client):
    roads = _published("ถนนเป็นหลุม", category="roads")
    lights = _published("ไฟดับ", category="lights")
    assert lights  # two categories, so the filter has something to leave out
    html = client.get(f"/public/cases?category_id={category_id('roads')}").get_data(as_text=True)
    assert "ถนนเป็นหลุม" in html and "ไฟดับ" not in html
    html = client.get("/public/cases?status=resolved").get_data(as_text=True)
    assert 'id="public-empty"' in html
    assert "ถนนเป็นหลุม" in client.get("/public/cases?place=ซอย 5").get_data(as_text=True)
    assert 'id="public-empty"' in client.get("/public/cases?place=ไม่มีที่นี่").get_data(as_text=True)
    today = today_in_thailand()
    thai_today = format_thai_day(today)  # 29/11/2569: day first, Buddhist Era
    html = client.get(f"/public/cases?received_from={thai_today}").get_data(as_text=True)
    assert roads.code in html
    tomorrow = format_thai_day(today + timedelta(days=1))
    html = client.get(f"/public/cases?received_from={tomorrow}").get_data(as_text=True)
    assert 'id="public-empty"' in html
    response = client.get("/public/cases?received_from=31/02/2569")
    assert response.status_code == 200 and "กรุณา" in response.get_data(as_text=True)


def test_the_list_is_paged(client):
    for n in range(PAGE_SIZE + 1):
        _published(f"เรื่องที่ {n:02d}", contact_phone="")
    first = client.get("/public/cases").get_data(as_text=True)
    assert first.count('class="public-case"') == PAGE_SIZE and 'id="next-page"' in first
    second = client.get("/public/cases?page=2").get_data(as_text=True)
    assert second.count('class="public-case"') == 1 and "เรื่องที่ 00" in second
    assert client.get("/public/cases?page=x").status_code == 200


def test_the_map_allows_exactly_the_tile_host_and_serves_leaflet_itself(client):
    case = _published()
    response = client.get("/public/map")
    html = response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in policy
    assert (
        policy.replace(" https://tile.openstreetmap.org", "")
        == client.get("/public/cases").headers["Content-Security-Policy"]
    )
    assert f'data-tiles="{OSM}"' in html and "OpenStreetMap" in html
    assert '"lat": 15.04' in html and case.code in html  # the pin, and the list under the map
    with client.get("/static/vendor/leaflet-1.9.4/leaflet.js") as leaflet:
        assert leaflet.status_code == 200
    assert "tile.openstreetmap.org" not in client.get("/").headers["Content-Security-Policy"]


def test_without_a_tile_server_the_map_page_is_the_list(app_factory):
    app = app_factory(MAP_TILE_URL="")
    with app.app_context():
        case = _published()
        response = app.test_client().get("/public/map")
    html = response.get_data(as_text=True)
    assert 'id="public-map"' not in html and "leaflet" not in html
    assert case.code in html
    assert "img-src 'self' data:;" in response.headers["Content-Security-Policy"]


def test_a_body_can_point_the_map_at_its_own_tile_server(client):
    _published()
    organization = db.session.scalars(select(Organization)).one()
    organization.map_tile_url = "https://tiles.jorhor.go.th/{z}/{x}/{y}.png"
    db.session.commit()
    response = client.get("/public/map")
    policy = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.jorhor.go.th;" in policy
    assert "openstreetmap" not in policy


def test_a_tile_address_that_is_not_one_stops_start_up(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.setenv("MAP_TILE_URL", "javascript:alert(1)")
    with pytest.raises(ConfigError, match="MAP_TILE_URL"):
        Config.from_env()
