"""Admin screens in one place: one URL space, one menu section, administrators only."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from werkzeug.routing import Rule

from app.admin import ADMIN_URL_PREFIX, admin_links

# Which blueprints hold admin screens (the kernel's accounts, review's reference data, the outbox).
ADMIN_BLUEPRINTS = {"admin", "review_admin", "notifications_admin"}


def _admin_rules(app: Flask) -> list[Rule]:
    return [
        rule for rule in app.url_map.iter_rules() if rule.endpoint.split(".")[0] in ADMIN_BLUEPRINTS
    ]


def test_every_admin_screen_is_under_the_admin_prefix_and_every_page_there_is_an_admin_screen(app):
    rules = {rule.rule for rule in _admin_rules(app)}
    assert rules and all(rule.startswith(ADMIN_URL_PREFIX + "/") for rule in rules)
    under_prefix = {
        rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith(ADMIN_URL_PREFIX)
    }
    assert under_prefix == rules


def test_every_admin_menu_link_is_an_admin_screen(app):
    endpoints = {link.endpoint for link in admin_links(app)}
    assert {e.split(".")[0] for e in endpoints} == ADMIN_BLUEPRINTS
    assert endpoints <= set(app.view_functions)


@pytest.mark.parametrize("role", ["officer", "supervisor", "executive", "integrity"])
def test_no_admin_screen_opens_for_another_role(app, login_as, role):
    client = login_as(role)
    for rule in _admin_rules(app):
        url = re.sub(r"<[^>]+>", "1", rule.rule)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            assert client.open(url, method=method).status_code == 403, (method, url)
