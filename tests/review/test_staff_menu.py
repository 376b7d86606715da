"""The staff menu: every staff page lists the pages the user's roles open, and only those."""

from __future__ import annotations

import re

import pytest

MENU_LINKS = {
    # Officers write the summary's measures, so it is in their menu too.
    "officer": {
        "/staff/cases",
        "/staff/cases/new",
        "/reports/summary",
        "/statistics",
        "/staff/notifications/me",
    },
    "supervisor": {
        "/staff/cases",
        "/staff/cases/new",
        "/staff/cases?tab=all",
        "/reports/summary",
        "/statistics",
        "/staff/notifications/me",
    },
    "admin": {
        "/staff/admin/users",
        "/staff/admin/categories",
        "/staff/admin/departments",
        "/staff/admin/reply-templates",
        "/staff/admin/categories#due-date-rules",
        "/staff/admin/audit",
        "/staff/admin/notifications/",
        "/staff/notifications/me",
    },
    # The summary carries the corruption track's counts for its officers.
    "integrity": {
        "/integrity/staff/",
        "/reports/summary",
        "/statistics",
        "/staff/notifications/me",
    },
    "executive": {"/reports/summary", "/statistics", "/staff/notifications/me"},
}


def _menu_links(html: str) -> set[str]:
    menu = html.split('id="staff-menu"', 1)[1].split("</nav>", 1)[0]
    return {href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', menu)}


@pytest.mark.parametrize("role", sorted(MENU_LINKS))
def test_staff_menu_lists_exactly_the_pages_of_the_role(login_as, role):
    client = login_as(role)
    html = client.get("/staff/").get_data(as_text=True)
    assert _menu_links(html) == MENU_LINKS[role]


@pytest.mark.parametrize("role", sorted(MENU_LINKS))
def test_every_menu_link_opens_for_its_role(login_as, role):
    client = login_as(role)
    for link in MENU_LINKS[role]:
        assert client.get(link.split("#")[0]).status_code == 200, link


def test_menu_is_on_every_staff_page_and_marks_the_current_one(login_as):
    client = login_as("officer", "admin")
    html = client.get("/staff/admin/departments").get_data(as_text=True)
    assert 'href="/staff/admin/departments" aria-current="page"' in html
    assert "/staff/cases/new" in _menu_links(html)  # both roles' links on an admin page


def test_no_menu_for_a_signed_out_visitor(client):
    assert 'id="staff-menu"' not in client.get("/staff/login").get_data(as_text=True)
