"""Staff sessions: starting one, idle and absolute timeouts, and the staff sections menu.

Sessions live in Flask's signed cookie (Secure in production, HttpOnly, SameSite=Lax). The user
id stored in it carries the user's session version, so signing out, a password change or
disabling the account ends every other session on the server side: an old cookie replayed later
no longer loads a user.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from werkzeug.wrappers import Response

from app.admin import admin_links
from app.auth.models import User
from app.auth.services import SignsIn, load_session_user, record_sign_in
from app.permissions import Permission, has_permission

SIGNED_IN_AT = "auth_at"
SEEN_AT = "seen_at"
PENDING_USER = "pending_user"
PENDING_AT = "pending_at"
# Between the password and the second factor: long enough to open the app, no longer.
PENDING_SECONDS = 300


def _fresh_session() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def hold_for_second_factor(user: User) -> None:
    """The password was right; remember who is signing in until the second factor is given."""
    _fresh_session()
    session[PENDING_USER] = user.get_id()
    session[PENDING_AT] = int(time.time())


def pending_user() -> User | None:
    """The user whose password was accepted moments ago and who still owes a second factor."""
    if int(time.time()) - int(session.get(PENDING_AT, 0)) > PENDING_SECONDS:
        return None
    return load_session_user(str(session.get(PENDING_USER, "")))


def start(user: SignsIn) -> None:
    """Begin a fresh session for ``user`` (nothing from before sign-in is kept but language)."""
    _fresh_session()
    login_user(user)
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    record_sign_in(user)


def _expired(now: int) -> bool:
    config = current_app.config
    signed_in_at = int(session.get(SIGNED_IN_AT, 0))
    seen_at = int(session.get(SEEN_AT, 0))
    return (
        now - seen_at > config["STAFF_IDLE_MINUTES"] * 60
        or now - signed_in_at > config["STAFF_SESSION_HOURS"] * 3600
    )


def enforce_timeouts() -> Response | None:
    """End a staff session left idle too long or open too long; otherwise note activity."""
    if "_user_id" not in session or request.endpoint == "static":
        return None  # residents carry no staff session: no database work for them
    now = int(time.time())
    if not _expired(now):
        session[SEEN_AT] = now
        return None
    logout_user()
    _fresh_session()
    flash(_("หมดเวลาการใช้งาน กรุณาลงชื่อเข้าใช้อีกครั้ง"), "info")
    return redirect(
        url_for("auth.login", next=request.full_path if request.method == "GET" else None)
    )


class MenuGroup(StrEnum):
    """The groups of the staff menu, in the order they are shown."""

    WORK = "work"  # the general track's daily work
    INTEGRITY = "integrity"  # the corruption track, for its officers only
    EXECUTIVE = "executive"  # the summaries
    ADMIN = "admin"  # reference data, accounts, the audit log and the outbox
    ME = "me"  # one's own settings


@dataclass(frozen=True)
class StaffSection:
    """A link of the staff menu, shown to holders of ``permission`` (every staff member when
    None) when its page exists.

    ``args`` are the endpoint's query arguments (the queue's "every case" tab) and ``fragment``
    a place on the page (the due-date columns of the categories page).
    """

    endpoint: str
    label: object
    permission: Permission | None
    group: MenuGroup = MenuGroup.WORK
    args: tuple[tuple[str, str], ...] = ()
    fragment: str = ""

    def url(self) -> str:
        """Where the link goes."""
        arguments: dict[str, Any] = dict(self.args)
        target = url_for(self.endpoint, **arguments)
        return f"{target}#{self.fragment}" if self.fragment else target


# The menu shows the lines whose endpoint is registered. The admin section's lines are those the
# owners of admin screens register with ``app.admin.register_admin_screens``.
STAFF_SECTIONS: list[StaffSection] = [
    StaffSection("review.queue", _l("รายการเรื่อง"), Permission.WORK_CASES),
    StaffSection("review.new_case", _l("บันทึกเรื่องใหม่"), Permission.WORK_CASES),
    StaffSection("review.queue", _l("ทุกเรื่อง"), Permission.SEE_EVERY_CASE, args=(("tab", "all"),)),
    StaffSection(
        "integrity_staff.queue",
        _l("เรื่องร้องเรียนการทุจริต"),
        Permission.WORK_INTEGRITY,
        MenuGroup.INTEGRITY,
    ),
    StaffSection(
        "reports.summary",
        _l("รายงานสรุปผลรอบ ๖ เดือน"),
        Permission.READ_REPORTS,
        MenuGroup.EXECUTIVE,
    ),
    StaffSection(
        "statistics.statistics",
        _l("สถิติเรื่องร้องเรียน"),
        Permission.READ_REPORTS,
        MenuGroup.EXECUTIVE,
    ),
    StaffSection("notifications.contact", _l("การแจ้งเตือนของฉัน"), None, MenuGroup.ME),
]

MENU_GROUP_LABELS = {
    MenuGroup.WORK: _l("งานเรื่องร้องเรียน"),
    MenuGroup.INTEGRITY: _l("เรื่องทุจริต"),
    MenuGroup.EXECUTIVE: _l("ผู้บริหาร"),
    MenuGroup.ADMIN: _l("ผู้ดูแลระบบ"),
    MenuGroup.ME: _l("ของฉัน"),
}


def sections_for(user: User) -> list[StaffSection]:
    """The sections ``user`` may open, in menu order (by group, then as listed)."""
    registered = current_app.view_functions
    sections = [
        s
        for s in [*STAFF_SECTIONS, *_admin_sections()]
        if s.endpoint in registered and (s.permission is None or has_permission(user, s.permission))
    ]
    groups = list(MenuGroup)
    return sorted(sections, key=lambda s: groups.index(s.group))


def _admin_sections() -> list[StaffSection]:
    """The admin screens' links (``app.admin``), for administrators only."""
    return [
        StaffSection(
            link.endpoint,
            link.label,
            Permission.ADMINISTER,
            MenuGroup.ADMIN,
            fragment=link.fragment,
        )
        for link in admin_links(current_app)
    ]


def staff_menu(user: User) -> list[tuple[object, list[StaffSection]]]:
    """The staff menu of ``user``: (group label, its sections) for each group with a link."""
    sections = sections_for(user)
    menu = []
    for group in MenuGroup:
        links = [s for s in sections if s.group == group]
        if links:
            menu.append((MENU_GROUP_LABELS[group], links))
    return menu


def forget_previous_request() -> None:
    """Drop what Flask-Login and Flask-WTF cache in ``g`` for one request.

    ``g`` normally dies with the request; when requests run inside one outer application context
    (tests, scripts) the cached user and CSRF token would leak into the next request, across a
    sign-in or sign-out that changed them.
    """
    g.pop("_login_user", None)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def init_app(app: Flask) -> None:
    """Register the per-request resets and the timeout check."""
    app.before_request(forget_previous_request)
    app.before_request(enforce_timeouts)
