"""The resident's side: the receipt's tools, their own photos, the home page's LINE QR code."""

from __future__ import annotations

import re

from tests.factories import assert_photo_shown_inline, make_case


def _open(client, result) -> str:
    """Open the status link as the resident does (the receipt: ``?new=1``)."""
    response = client.get(f"/track/{result.code}/{result.token}?new=1", follow_redirects=True)
    return response.get_data(as_text=True)


def test_the_receipt_offers_copy_and_save_as_image_and_says_code_and_phone_find_it(client, app):
    _, result = make_case()
    html = _open(client, result)
    tools = html.split('id="receipt-tools"')[1].split("</div>")[0]
    assert f'data-code="{result.code}"' in tools and f"/track/{result.code}/" in tools
    assert 'id="copy-receipt"' in tools and 'id="save-receipt"' in tools
    assert "js/receipt.js" in html
    assert "ด้วยเลขรับเรื่องนี้และเบอร์โทรศัพท์ที่ให้ไว้" in html
    # ... and that lookup exists, with the phone in Thai digits too.
    page = client.post(
        "/track", data={"code": result.code, "phone": "๐๘๑๒๓๔๕๖๗๘"}, follow_redirects=True
    )
    assert page.status_code == 200 and 'id="case-status"' in page.get_data(as_text=True)


def test_without_a_phone_the_receipt_says_the_link_is_the_only_way_back(client, app):
    _, result = make_case(contact_phone="")
    html = _open(client, result)
    assert "จึงเปิดเรื่องนี้ได้จากลิงก์นี้เท่านั้น" in html


def test_the_resident_sees_their_own_photos_and_nobody_else_does(client, app):
    case, result = make_case(with_attachment=True)
    photo = case.attachments[0]
    url = f"/track/{case.code}/photos/{photo.id}"
    assert client.get(url).status_code == 404  # no access cookie yet
    html = _open(client, result)
    assert f'<img src="{url}"' in html
    assert_photo_shown_inline(client, url)
    other, _ = make_case(with_attachment=True)
    assert client.get(f"/track/{case.code}/photos/{other.attachments[0].id}").status_code == 404
    assert client.get(f"/track/{case.code}/photos/99999999999").status_code == 404
    assert app.test_client().get(url).status_code == 404  # another browser


def test_a_pdf_is_not_offered_as_a_photo(client, app):
    case, result = make_case(with_pdf=True)
    html = _open(client, result)
    assert 'id="own-photos"' not in html
    assert client.get(f"/track/{case.code}/photos/{case.attachments[0].id}").status_code == 404


def test_home_page_shows_the_line_account_with_a_local_qr_code_hours_and_emblem(app_factory):
    application = app_factory(LINE_OA_ID="@johor")
    html = application.test_client().get("/").get_data(as_text=True)
    assert 'id="line-oa-id">@johor<' in html
    assert 'href="https://line.me/R/ti/p/%40johor"' in html
    assert re.search(r'<img src="data:image/svg\+xml[^"]+" alt="คิวอาร์โค้ดเพิ่มเพื่อน LINE @johor"', html)
    assert "เวลาทำการ: วันจันทร์–วันศุกร์" in html
    assert 'class="emblem" src="/static/img/emblem.svg"' in html


def test_home_page_without_a_line_account_shows_no_qr_code(client):
    html = client.get("/").get_data(as_text=True)
    assert 'id="line-oa"' not in html and 'id="office-hours"' in html
