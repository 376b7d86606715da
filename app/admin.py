"""The admin screens' one place: the URL space ``/staff/admin/...`` and the admin menu section.

Each owner of admin screens (the kernel's accounts and audit log, ``review``'s reference data,
``notifications``' outbox) keeps its views in a module named ``admin.py`` with its own blueprint
and hands it to ``register_admin_screens``, which mounts it under ``ADMIN_URL_PREFIX`` and adds
its links to the staff menu's admin section. So the kernel names no capability, and every admin
screen is found at one prefix and one menu section whoever owns it. Admin views still guard
themselves with ``permission_required(Permission.ADMINISTER)`` (a test checks every rule under
the prefix).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask
from werkzeug.routing import MapAdapter

ADMIN_URL_PREFIX = "/staff/admin"
_LINKS = "admin.links"


@dataclass(frozen=True)
class AdminLink:
    """A link of the admin menu section: an endpoint, its label and a place on its page."""

    endpoint: str
    label: object
    fragment: str = ""


def register_admin_screens(app: Flask, blueprint: Blueprint, links: Iterable[AdminLink]) -> None:
    """Mount ``blueprint`` under ``/staff/admin`` (its own ``url_prefix`` read below that) and
    list ``links`` in the admin menu section, after those registered before."""
    app.register_blueprint(blueprint, url_prefix=ADMIN_URL_PREFIX + (blueprint.url_prefix or ""))
    app.extensions.setdefault(_LINKS, []).extend(links)


def admin_links(app: Flask) -> list[AdminLink]:
    """The admin menu section's links, in the order they were registered."""
    return list(app.extensions.get(_LINKS, ()))


def keep_old_url(blueprint: Blueprint, rule: str, endpoint: str, methods: Iterable[str]) -> None:
    """Answer ``rule``, where a screen used to be, with a permanent redirect to ``endpoint``.

    308 keeps the method and the form, so an old bookmark or a form posted from a page opened
    before the move still lands; the target is built like ``url_for``, so a ``/o/<slug>/``
    prefix is kept.
    """

    def target(adapter: MapAdapter, **values: Any) -> str:
        return adapter.build(endpoint, values)

    name = "moved_" + endpoint.rsplit(".", 1)[-1]
    blueprint.add_url_rule(rule, endpoint=name, redirect_to=target, methods=list(methods))
