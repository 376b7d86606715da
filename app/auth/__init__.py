"""Staff accounts and roles: sign-in with Flask-Login, argon2id passwords, role guards."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from app.extensions import login_manager


def init_app(app: Flask) -> None:
    """Wire Flask-Login, the sign-in pages, the accounts' admin screens and session timeouts."""
    from app.admin import register_admin_screens
    from app.auth import admin, sessions, sign_in_pages
    from app.auth.models import User
    from app.organizations.scope import PLATFORM, explicit_organization_id
    from app.platform.models import PlatformAccount
    from app.platform.services import load_any_session
    from app.queue import query_url

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("กรุณาลงชื่อเข้าใช้ก่อน")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def _load_user(session_id: str) -> User | PlatformAccount | None:
        return load_any_session(session_id, on_platform=explicit_organization_id() == PLATFORM)

    app.register_blueprint(sign_in_pages.bp)
    register_admin_screens(app, admin.bp, admin.LINKS)
    app.add_template_global(query_url)
    app.add_template_global(sessions.staff_menu)
    sessions.init_app(app)
